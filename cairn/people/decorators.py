from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from cairn.people.models import Person, User

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

P = ParamSpec("P")


class PersonRequest(HttpRequest):
    """A request from a signed-in member of an organisation."""

    person: Person
    htmx: HtmxDetails


def _person_of(user: Any) -> Person | None:
    """The account's person: read with the account itself (``backends.PersonBackend``),
    or looked up for an account signed in some other way."""
    if User.person.is_cached(user):
        return getattr(user, "person", None)
    return Person.objects.select_related("organisation").filter(user_id=user.pk).first()


def person_required(
    view: Callable[Concatenate[PersonRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Sign-in required, as a member of an organisation; sets ``request.person``.

    An account with no person (say, a superuser made for the Django admin) gets a
    page that says so, and no data.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        person = _person_of(request.user)
        if person is None:
            return TemplateResponse(request, "people/no_person.html", status=403)
        request.person = person  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)  # type: ignore[arg-type]

    return wrapper


def org_admin_required(
    view: Callable[Concatenate[PersonRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """For org admins only; anyone else gets a 404, as if the page did not exist."""

    @functools.wraps(view)
    def wrapper(request: PersonRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.person.is_org_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return person_required(wrapper)  # type: ignore[arg-type]
