"""The bell, the list of one's notifications and the choice of how to hear of each
kind. Every page is the signed-in person's own: nothing here takes a person."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cairn.lib.htmx import answer
from cairn.notifications import policy, services
from cairn.notifications.forms import ChannelsForm
from cairn.notifications.registry import still_visible
from cairn.people.decorators import PersonRequest, person_required

PAGE_SIZE = 25
# The event that makes the bell ask for its count again: sent by the answers that
# mark notifications read, so the count follows at once.
REFRESH_BELL = "refresh-bell"


def _list_context(request: PersonRequest, number: Any) -> dict[str, Any]:
    """One page of the person's notifications, newest first. The pager counts every
    notification of theirs; those whose subjects they may no longer see are left out
    of the page they fall on (so a page can show fewer than ``PAGE_SIZE``)."""
    page = Paginator(policy.recent_for(request.person), PAGE_SIZE).get_page(number)
    return {"page": page, "rows": still_visible(request.person, page.object_list)}


def _list_url(number: int) -> str:
    url = reverse("notifications:list")
    return f"{url}?page={number}" if number > 1 else url


@require_GET
@person_required
def notification_list(request: PersonRequest) -> HttpResponse:
    """My notifications, newest first, 25 to a page, unread ones marked."""
    return render(
        request, "notifications/list.html", _list_context(request, request.GET.get("page"))
    )


def _after_reading(request: PersonRequest, done: str) -> HttpResponse:
    context = _list_context(request, request.POST.get("page"))
    response = answer(
        request,
        template="notifications/list.html",
        partial="notifications",
        context=context,
        success_url=_list_url(context["page"].number),
        ok=True,
        done=done,
    )
    response["HX-Trigger"] = REFRESH_BELL
    return response


@require_POST
@person_required
def read(request: PersonRequest, code: UUID) -> HttpResponse:
    notification = policy.get_notification_for(request.person, code)
    services.mark_read(request.person, notification)
    return _after_reading(request, "Marked read.")


@require_POST
@person_required
def read_all(request: PersonRequest) -> HttpResponse:
    services.mark_all_read(request.person)
    return _after_reading(request, "All your notifications are marked read.")


@require_GET
@person_required
def open_notification(request: PersonRequest, code: UUID) -> HttpResponse:
    """Follow a notification's link, marking it read. Only the stored path on this
    site is followed; anything else leads back to the list."""
    notification = policy.get_notification_for(request.person, code)
    services.mark_read(request.person, notification)
    return HttpResponseRedirect(policy.safe_target(notification) or _list_url(1))


@require_GET
@never_cache
@person_required
def bell(request: PersonRequest) -> HttpResponse:
    """The bell's count alone, for htmx to swap into the navigation."""
    return render(
        request, "notifications/_bell.html#count", {"bell": policy.bell_for(request.person)}
    )


@require_http_methods(["GET", "POST"])
@person_required
def preferences(request: PersonRequest) -> HttpResponse:
    """How I hear of each kind: in Cairn only, an email at once, the daily digest,
    or not at all. Bad input (an unknown kind or channel) saves nothing: 422."""
    channels = policy.channels_for(request.person)
    if request.method != "POST":
        return render(
            request, "notifications/preferences.html", {"form": ChannelsForm(channels=channels)}
        )
    form = ChannelsForm(request.POST, channels=channels)
    ok = form.is_valid()
    if ok:
        try:
            services.set_channels(request.person, request.person, form.channels())
        except ValidationError as error:
            form.add_error(None, error)
            ok = False
    return answer(
        request,
        template="notifications/preferences.html",
        partial="form",
        context={"form": form, "saved": ok},
        success_url=reverse("notifications:preferences"),
        ok=ok,
        done="Your choices are saved.",
    )
