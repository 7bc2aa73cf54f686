from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cairn.lib.htmx import answer
from cairn.people import pickers, policy, services
from cairn.people.accounts import INVITATION_DAYS
from cairn.people.decorators import PersonRequest, org_admin_required, person_required
from cairn.people.forms import AddPersonForm, EditPersonForm, TeamForm, TimeZoneForm
from cairn.people.middleware import remember_zone
from cairn.people.models import (
    CONTENT_ROLES,
    Person,
    Role,
    RoleChange,
    RoleGrant,
    Team,
    effective_time_zone,
)

DIRECTORY_PAGE_SIZE = 50
MANAGE_PAGE_SIZE = 50
REPORTS_PAGE_SIZE = 50


def _search_query(request: PersonRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


@person_required
def directory(request: PersonRequest) -> HttpResponse:
    """Everyone in my organisation, searchable by name, title or team."""
    query = _search_query(request)
    people = Person.objects.visible_to(request.person).active().select_related("team", "manager")
    if query:
        people = people.filter(
            Q(name__icontains=query) | Q(title__icontains=query) | Q(team__name__icontains=query)
        )
    page = Paginator(people, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/directory.html", {"page": page, "query": query})


@require_safe
@person_required
def pick(request: PersonRequest) -> JsonResponse:
    """The people pickers' search (``?q=``, at least two letters): at most ten active
    people of my organisation whose name matches, those I work with first, each with
    their code, name and job title. Nothing for a query too short or too long."""
    me = request.person
    query = pickers.clean_query(request.GET.get("q"))
    results: list[dict[str, str]] = []
    if query:
        people = (
            Person.objects.visible_to(me)
            .active()
            .filter(name__icontains=query)
            .annotate(
                mine=Case(
                    When(pickers.works_with_q(me), then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("mine", "name", "pk")
            .only("code", "name", "title")[: pickers.SEARCH_LIMIT]
        )
        results = [{"code": str(p.code), "name": p.name, "hint": pickers.hint(p)} for p in people]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response


@person_required
def person_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    """A person's directory entry and their reports; other apps add panels (coaching:
    the engagements whose existence the viewer may know of)."""
    person = policy.get_person_for(request.person, code)
    # A page of the direct reports: the head of a large department has thousands.
    reports = Paginator(
        person.reports.select_related("team").order_by("name", "pk"), REPORTS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person.html",
        {"person": person, "reports": reports.object_list, "reports_page": reports},
    )


# --- the org admin's pages ---------------------------------------------------------
#
# Only org admins reach these (anyone else gets a 404), and only for people and
# teams of their own organisation: every read starts from ``visible_to`` or the
# access helpers in ``policy``, and every write goes through ``services``.


def _manage_context(request: PersonRequest, **extra: Any) -> dict[str, Any]:
    """The manage page: everyone (deactivated too), and the teams. Querysets stay
    lazy, so the teams partial runs only its own query."""
    me = request.person
    query = _search_query(request)
    people = Person.objects.visible_to(me).select_related("user", "team", "manager")
    if query:
        people = people.filter(Q(name__icontains=query) | Q(user__username__icontains=query))
    context: dict[str, Any] = {
        "page": Paginator(people, MANAGE_PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "teams": Team.objects.visible_to(me).annotate(
            active_members=Count("members", filter=Q(members__user__is_active=True))
        ),
        "team_form": TeamForm(),
    }
    context.update(extra)
    return context


@org_admin_required
def manage(request: PersonRequest) -> HttpResponse:
    """Everyone in my organisation, with their account status, and the teams."""
    return render(request, "people/manage.html", _manage_context(request))


@org_admin_required
def person_new(request: PersonRequest) -> HttpResponse:
    """Add someone to my organisation; they get an email inviting them to choose a
    password (I never set or see it)."""
    me = request.person
    # An empty POST is still a POST: it gets "required" messages, not a blank form.
    data = request.POST if request.method == "POST" else None
    form = AddPersonForm(data, viewer=me, search=request.GET)
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            person = services.add_person(
                me,
                me.organisation,
                username=cleaned["username"],
                email=cleaned["email"],
                name=cleaned["name"],
                title=cleaned["title"],
                team=cleaned["team"],
                manager=cleaned["manager"],
                is_org_admin=cleaned["is_org_admin"],
                is_program_admin=cleaned["is_program_admin"],
                is_hr=cleaned["is_hr"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Added {person.name}. We emailed them at {person.user.email} "
                "a link to choose their password; it works for "
                f"{INVITATION_DAYS} days.",
            )
            _say_what_waits(request, person, cleaned)
            return HttpResponseRedirect(reverse("people:manage"))
    status = 422 if form.errors else 200
    return render(request, "people/person_new.html", {"form": form}, status=status)


@org_admin_required
def person_edit(request: PersonRequest, code: UUID) -> HttpResponse:
    """Change someone's details, reporting line, admin rights or account status."""
    me = request.person
    person = policy.get_person_for(me, code)
    data = request.POST if request.method == "POST" else None
    form = EditPersonForm(data, viewer=me, person=person, search=request.GET)
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.update_person(
                me,
                person,
                name=cleaned["name"],
                email=cleaned["email"],
                title=cleaned["title"],
                team=cleaned["team"],
                manager=cleaned["manager"],
                is_org_admin=cleaned["is_org_admin"],
                is_program_admin=cleaned["is_program_admin"],
                is_hr=cleaned["is_hr"],
                is_active=cleaned["is_active"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved the changes to {person.name}.")
            _say_what_waits(request, person, cleaned)
            return HttpResponseRedirect(reverse("people:manage"))
    status = 422 if form.errors else 200
    waiting = RoleGrant.objects.visible_to(me).pending().filter(person=person)
    return render(
        request,
        "people/person_edit.html",
        {"form": form, "person": person, "waiting": waiting},
        status=status,
    )


def _say_what_waits(request: PersonRequest, person: Person, cleaned: dict[str, Any]) -> None:
    """After a save: which ticked roles wait for a second org admin, and who that can be."""
    waiting = [
        role.label
        for role in Role
        if role in CONTENT_ROLES and cleaned.get(role) and not getattr(person, role)
    ]
    if not waiting:
        return
    roles = " and ".join(waiting)
    others = _other_admins(request.person).exists()
    who = (
        "Another org admin confirms it on the roles page."
        if others
        else "You are the only org admin: a second org admin is needed to confirm it."
    )
    messages.info(request, f"{person.name} becomes {roles} once confirmed. {who}")


def _other_admins(me: Person) -> QuerySet[Person]:
    return Person.objects.visible_to(me).active().filter(is_org_admin=True).exclude(pk=me.pk)


@org_admin_required
@require_POST
def team_new(request: PersonRequest) -> HttpResponse:
    """Add a team from the manage page; htmx swaps in the teams part of it."""
    me = request.person
    form = TeamForm(request.POST)
    added: Team | None = None
    if form.is_valid():
        try:
            added = services.add_team(me, me.organisation, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TeamForm()
    return answer(
        request,
        template="people/manage.html",
        partial="teams",
        context=lambda: _manage_context(request, team_form=form, added_team=added),
        success_url=reverse("people:manage") + "#teams",
        ok=added is not None,
        done=f"Added the team {added.name}." if added else "",
    )


# --- roles: every change recorded, content-reading roles confirmed by a second admin --

ROLES_PAGE_SIZE = 50


def _roles_context(request: PersonRequest, **extra: Any) -> dict[str, Any]:
    me = request.person
    pending = (
        RoleGrant.objects.visible_to(me)
        .pending()
        .select_related("person", "requested_by")
        .order_by("requested_at", "id")
    )
    changes = RoleChange.objects.visible_to(me).select_related("person").order_by("-at", "-id")
    context: dict[str, Any] = {
        "pending": Paginator(pending, ROLES_PAGE_SIZE).get_page(request.GET.get("pending")),
        "page": Paginator(changes, ROLES_PAGE_SIZE).get_page(request.GET.get("page")),
        "alone": not _other_admins(me).exists(),
        "grant_error": None,
        "error_code": None,
    }
    context.update(extra)
    return context


@org_admin_required
def roles(request: PersonRequest) -> HttpResponse:
    """Every role change in my organisation, newest first, and the grants of roles
    that read content waiting for a second org admin."""
    return render(request, "people/roles.html", _roles_context(request))


def _decide(request: PersonRequest, code: UUID, *, confirm: bool) -> HttpResponse:
    me = request.person
    grant = policy.get_grant_for(me, code)
    error = None
    try:
        if confirm:
            services.confirm_grant(me, grant)
        else:
            services.decline_grant(me, grant)
    except ValidationError as problem:
        error = " ".join(problem.messages)
    person, role = grant.person.name, grant.get_role_display()
    done = f"{person} is now {role}." if confirm else f"Declined: {person} does not become {role}."
    return answer(
        request,
        template="people/roles.html",
        partial="pending",
        context=lambda: _roles_context(
            request,
            grant_error=error,
            error_code=grant.code if error else None,
            decided=None if error else done,
        ),
        success_url=reverse("people:roles"),
        ok=error is None,
        done=done,
    )


@org_admin_required
@require_POST
def grant_confirm(request: PersonRequest, code: UUID) -> HttpResponse:
    """Confirm a role another org admin asked for: the person has it at once."""
    return _decide(request, code, confirm=True)


@org_admin_required
@require_POST
def grant_decline(request: PersonRequest, code: UUID) -> HttpResponse:
    """Decline a waiting role (the admin who asked may take it back this way)."""
    return _decide(request, code, confirm=False)


# --- the person's own settings ---------------------------------------------------------


@person_required
def time_zone(request: PersonRequest) -> HttpResponse:
    """Choose the zone every date is shown in (blank: the organisation's)."""
    me = request.person
    organisation_zone = effective_time_zone("", me.organisation.time_zone)
    data = request.POST if request.method == "POST" else None
    form = TimeZoneForm(
        data, initial={"time_zone": me.time_zone}, organisation_zone=organisation_zone
    )
    if form.is_valid():
        services.set_time_zone(me, form.cleaned_data["time_zone"])
        remember_zone(request, me.zone_name)
        messages.success(request, f"Dates are now shown in {me.zone_name.replace('_', ' ')}.")
        return HttpResponseRedirect(reverse("people:time-zone"))
    return render(
        request,
        "people/time_zone.html",
        {"form": form, "zone_name": me.zone_name, "now": timezone.now()},
        status=422 if form.errors else 200,
    )
