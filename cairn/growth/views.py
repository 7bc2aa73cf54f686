"""Pages of a person's growth: their mission statement, their development plan, and
the plans others share with them.

Thin views: decorators → access helper → form → service → render. Pages that write
are the owner's own (``/growth/…`` with no person in the URL); a shared plan is read
at ``/growth/people/<code>/plan/`` and through the objective pages, read-only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.forms import Form
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cairn.coaching.models import Session
from cairn.growth import policy, services
from cairn.growth.forms import (
    PROMPTS,
    ActionForm,
    CheckInForm,
    GuidedMissionForm,
    MissionForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PlanForm,
    SessionLinkForm,
    ShareForm,
)
from cairn.growth.models import (
    CheckIn,
    DevelopmentPlan,
    MissionStatement,
    Objective,
    ObjectiveActionItem,
    PlanAction,
    PlanShare,
)
from cairn.lib.htmx import answer
from cairn.lib.versions import Conflict, conflict_answer, theirs
from cairn.people.decorators import PersonRequest, person_required
from cairn.people.models import Person
from cairn.trust.models import Kind
from cairn.trust.services import record_read

HISTORY_PAGE_SIZE = 20
# Sessions offered for review: the recent past and the coming weeks, where a review
# is still ahead or fresh. The one already linked stays a choice, however old.
SESSION_CHOICE_WINDOW = dt.timedelta(days=60)


def _objectives(plan: DevelopmentPlan | None, viewer: Person) -> QuerySet[Objective]:
    """A plan's objectives with the counts its overview shows, in one query, and the
    session action items towards each that the viewer may read (both ends), in one
    more: they count with the plan's own actions, and those done show as progress."""
    if plan is None:
        return Objective.objects.none()
    return plan.objectives.annotate(
        open_actions=Count("actions", filter=Q(actions__done_at__isnull=True), distinct=True),
        check_in_count=Count("check_ins", distinct=True),
    ).prefetch_related(
        Prefetch(
            "session_items",
            queryset=ObjectiveActionItem.objects.visible_to(viewer)
            .select_related("action_item")
            .order_by("-action_item__done_at", "-id"),
            to_attr="visible_session_items",
        )
    )


def _current_mission(owner: Person) -> MissionStatement | None:
    return MissionStatement.objects.filter(owner=owner).current().first()


def _fail(form: Form, error: ValidationError) -> None:
    form.add_error(None, error)


# --- my growth ---------------------------------------------------------------------


@person_required
def home(request: PersonRequest) -> HttpResponse:
    """My growth: my mission statement, my plan at a glance, who I share them with."""
    me = request.person
    plan = policy.plan_for(me)
    return render(
        request,
        "growth/home.html",
        {
            "mission": _current_mission(me),
            "plan": plan,
            "objectives": _objectives(plan, me),
            "shares": PlanShare.objects.filter(owner=me).select_related("shared_with"),
            "shared_with_me": PlanShare.objects.filter(shared_with=me).count(),
        },
    )


# --- mission statement -------------------------------------------------------------


@person_required
def mission(request: PersonRequest) -> HttpResponse:
    """Write a new version of my mission statement; the page starts from the current."""
    me = request.person
    current = _current_mission(me)
    if request.method == "POST":
        form = MissionForm(request.POST)
        if form.is_valid():
            try:
                services.save_mission_statement(me, text=form.cleaned_data["text"])
            except ValidationError as error:
                _fail(form, error)
            else:
                messages.success(request, "Saved. Your earlier versions are in the history.")
                return HttpResponseRedirect(reverse("growth:mission"))
    else:
        form = MissionForm(initial={"text": current.text if current else ""})
    return render(
        request,
        "growth/mission.html",
        {"form": form, "current": current},
        status=422 if form.errors else 200,
    )


@person_required
def mission_guided(request: PersonRequest) -> HttpResponse:
    """Three prompts beside the statement box; the answers can be kept with the
    version, and the page starts from the last answers kept."""
    me = request.person
    if request.method == "POST":
        form = GuidedMissionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            keep = data["keep_answers"]
            try:
                services.save_mission_statement(
                    me,
                    text=data["text"],
                    love=data["love"] if keep else "",
                    morning=data["morning"] if keep else "",
                    become=data["become"] if keep else "",
                )
            except ValidationError as error:
                _fail(form, error)
            else:
                messages.success(request, "Saved your mission statement.")
                return HttpResponseRedirect(reverse("growth:mission"))
    else:
        current = _current_mission(me)
        answered = (
            MissionStatement.objects.filter(owner=me)
            .exclude(love="", morning="", become="")
            .first()
        )
        initial: dict[str, Any] = {"text": current.text if current else ""}
        if answered is not None:
            initial.update(love=answered.love, morning=answered.morning, become=answered.become)
        form = GuidedMissionForm(initial=initial)
    return render(
        request,
        "growth/mission_guided.html",
        {"form": form, "prompts": PROMPTS},
        status=422 if form.errors else 200,
    )


@person_required
def mission_history(request: PersonRequest) -> HttpResponse:
    """Every version of my mission statement, newest first."""
    versions = MissionStatement.objects.filter(owner=request.person)
    page = Paginator(versions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "growth/mission_history.html", {"page": page})


# --- the plan ----------------------------------------------------------------------


def _plan_context(request: PersonRequest, **forms: Any) -> dict[str, Any]:
    me = request.person
    plan = policy.plan_for(me)
    context: dict[str, Any] = {
        "plan": plan,
        "objectives": _objectives(plan, me),
        "shares": PlanShare.objects.filter(owner=me).select_related("shared_with"),
        # No plan yet: the version a plan has when its first save creates it.
        "plan_form": PlanForm(
            initial={"dreams": plan.dreams, "become": plan.become, "version": plan.version}
            if plan
            else {"version": 1}
        ),
        "share_form": ShareForm(owner=me, search=request.GET),
    }
    context.update(forms)
    return context


@person_required
def plan(request: PersonRequest) -> HttpResponse:
    """My development plan: dreams and passions, who I want to become, objectives,
    and who I share it with. The plan is created the first time it is saved."""
    me = request.person
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.save_plan(
                    me,
                    dreams=form.cleaned_data["dreams"],
                    become=form.cleaned_data["become"],
                    opened=form.opened,
                )
            except Conflict as conflict:
                return conflict_answer(
                    request,
                    template="growth/plan.html",
                    context=_plan_context(
                        request,
                        plan_form=form.reopened(conflict),
                        conflict=theirs(conflict, form, _plan_texts),
                        thing="plan",
                    ),
                )
            except ValidationError as error:
                _fail(form, error)
            else:
                messages.success(request, "Saved your plan.")
                return HttpResponseRedirect(reverse("growth:plan"))
        return render(
            request, "growth/plan.html", _plan_context(request, plan_form=form), status=422
        )
    return render(request, "growth/plan.html", _plan_context(request))


def _plan_texts(plan: DevelopmentPlan) -> dict[str, Any]:
    return {"dreams": plan.dreams, "become": plan.become}


@require_POST
@person_required
def share_add(request: PersonRequest) -> HttpResponse:
    me = request.person
    form = ShareForm(request.POST, owner=me)
    ok = False
    if form.is_valid():
        reader = form.cleaned_data["person"]
        try:
            services.share(me, reader)
        except ValidationError as error:
            _fail(form, error)
        else:
            ok = True
            form = ShareForm(owner=me)
            messages.success(request, f"{reader.name} can now read your mission and plan.")
    return _plan_answer(request, "shares", ok, share_form=form)


@require_POST
@person_required
def share_remove(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    grant = policy.get_own_share_for(me, code)
    services.unshare(me, grant)
    messages.success(request, f"{grant.shared_with.name} can no longer read your mission and plan.")
    return _plan_answer(request, "shares", True)


def _plan_answer(request: PersonRequest, partial: str, ok: bool, **forms: Any) -> HttpResponse:
    return answer(
        request,
        template="growth/plan.html",
        partial=partial,
        context=lambda: _plan_context(request, **forms),
        success_url=reverse("growth:plan") + f"#{partial}",
        ok=ok,
    )


# --- objectives --------------------------------------------------------------------


@person_required
def objective_new(request: PersonRequest) -> HttpResponse:
    me = request.person
    form = ObjectiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.add_objective(me, **form.fields_for_service())
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, "Objective added. Now: who does what by when?")
            return HttpResponseRedirect(reverse("growth:objective", args=[objective.code]))
    return render(
        request,
        "growth/objective_form.html",
        {"form": form, "objective": None},
        status=422 if form.errors else 200,
    )


@person_required
def objective_edit(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    objective = policy.get_own_objective_for(me, code)
    conflict = None
    if request.method == "POST":
        form = ObjectiveEditForm(request.POST)
        if form.is_valid():
            try:
                services.update_objective(
                    me, objective, **form.fields_for_service(), opened=form.opened
                )
            except Conflict as error:
                conflict = error
            except ValidationError as error:
                _fail(form, error)
            else:
                messages.success(request, "Saved the objective.")
                return HttpResponseRedirect(reverse("growth:objective", args=[objective.code]))
        # The failed save changed the object in memory; show the page from the
        # database's version, with the person's input in the form.
        objective = policy.get_own_objective_for(me, code)
    else:
        form = ObjectiveEditForm(initial=ObjectiveEditForm.initial_for(objective))
    if conflict is not None:
        return conflict_answer(
            request,
            template="growth/objective_form.html",
            context={
                "form": form.reopened(conflict),
                "objective": objective,
                "conflict": theirs(conflict, form, _objective_texts),
                "thing": "objective",
            },
        )
    return render(
        request,
        "growth/objective_form.html",
        {"form": form, "objective": objective},
        status=422 if form.errors else 200,
    )


_SESSION_CHOICE_FIELDS = (
    "code",
    "scheduled_for",
    "engagement__kind",
    "engagement__giver__name",
    "engagement__receiver__name",
)


def _objective_texts(objective: Objective) -> dict[str, Any]:
    initial = ObjectiveForm.initial_for(objective)
    return {name: initial[name] for name in ObjectiveForm.base_fields}


def _session_choices(objective: Objective) -> QuerySet[Session]:
    owner = objective.plan.owner
    now = timezone.now()
    recent = Q(
        scheduled_for__gte=now - SESSION_CHOICE_WINDOW,
        scheduled_for__lte=now + SESSION_CHOICE_WINDOW,
    )
    if objective.session_id is not None:
        recent |= Q(pk=objective.session_id)
    return (
        Session.objects.visible_to(owner)
        .filter(recent)
        .select_related("engagement__giver", "engagement__receiver")
        # Only what a choice shows (``session_label``) and posts (the code): the
        # reasons are not decrypted, nor the other columns read, for every choice.
        .only(*_SESSION_CHOICE_FIELDS)
        .order_by("-scheduled_for")
    )


def _objective_context(
    request: PersonRequest, objective: Objective, **forms: Any
) -> dict[str, Any]:
    me = request.person
    owner = objective.plan.owner
    is_owner = policy.can_edit_growth(me, owner)
    # The linked session shows only to a viewer who is a party to it.
    linked_session = (
        Session.objects.visible_to(me)
        .filter(pk=objective.session_id)
        .select_related("engagement__giver", "engagement__receiver")
        .first()
        if objective.session_id
        else None
    )
    context: dict[str, Any] = {
        "objective": objective,
        "owner": owner,
        "is_owner": is_owner,
        "today": timezone.localdate(),
        "actions": objective.actions.select_related("owner"),
        "check_ins": objective.check_ins.all(),
        # Session action items towards it, for a viewer who reads both ends.
        "session_items": policy.items_towards(me, objective),
        "linked_session": linked_session,
    }
    if is_owner:
        context["action_form"] = ActionForm(viewer=me, search=request.GET)
        context["check_in_form"] = CheckInForm(objective=objective)
        context["session_form"] = SessionLinkForm(
            owner=me,
            choices=_session_choices(objective),
            initial={"session": linked_session.code if linked_session else None},
        )
        # Linking does not share: say so when the other party cannot read the plan.
        context["session_reader_shared"] = bool(
            objective.session_id
            and PlanShare.objects.filter(
                owner=me,
                shared_with__in=Person.objects.filter(
                    Q(giving__sessions=objective.session_id)
                    | Q(receiving__sessions=objective.session_id)
                ).exclude(pk=me.pk),
            ).exists()
        )
    context.update(forms)
    return context


@person_required
def objective_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    """An objective: read-write for its owner, read-only for those they share with.
    A read by someone they share with goes in the owner's access log."""
    objective = policy.get_objective_for(request.person, code)
    record_read(request, objective.plan.owner, Kind.OBJECTIVE)
    return render(request, "growth/objective.html", _objective_context(request, objective))


def _objective_answer(
    request: PersonRequest, objective: Objective, partial: str, ok: bool, **forms: Any
) -> HttpResponse:
    return answer(
        request,
        template="growth/objective.html",
        partial=partial,
        context=lambda: _objective_context(request, objective, **forms),
        success_url=reverse("growth:objective", args=[objective.code]) + f"#{partial}",
        ok=ok,
    )


@require_POST
@person_required
def action_add(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    objective = policy.get_own_objective_for(me, code)
    form = ActionForm(request.POST, viewer=me)
    ok = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_action(
                me,
                objective,
                owner=data["owner"],
                description=data["description"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            ok, form = True, ActionForm(viewer=me)
    return _objective_answer(request, objective, "actions", ok, action_form=form)


@require_POST
@person_required
def action_mark(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    action: PlanAction = policy.get_own_action_for(me, code)
    services.set_action_done(me, action, done=request.POST.get("done") == "1")
    return _objective_answer(request, action.objective, "actions", True)


@require_POST
@person_required
def check_in_add(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    objective = policy.get_own_objective_for(me, code)
    form = CheckInForm(request.POST, objective=objective)
    ok = False
    if form.is_valid():
        try:
            services.add_check_in(
                me,
                objective,
                note=form.cleaned_data["note"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            ok, form = True, CheckInForm(objective=objective)
    return _objective_answer(request, objective, "check-ins", ok, check_in_form=form)


@require_POST
@person_required
def objective_session(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    objective = policy.get_own_objective_for(me, code)
    form = SessionLinkForm(request.POST, owner=me, choices=_session_choices(objective))
    if form.is_valid():
        try:
            services.link_session(me, objective, form.cleaned_data["session"])
        except ValidationError as error:
            _fail(form, error)
        else:
            # A fresh form, whose choices include the session just linked.
            return _objective_answer(request, objective, "session", True)
    return _objective_answer(request, objective, "session", False, session_form=form)


# --- shared with me ----------------------------------------------------------------


@person_required
def shared_with_me(request: PersonRequest) -> HttpResponse:
    """The people who share their mission and plan with me."""
    me = request.person
    grants = (
        PlanShare.objects.filter(shared_with=me)
        .select_related("owner", "owner__team")
        .order_by("owner__name", "id")
    )
    return render(request, "growth/shared.html", {"grants": grants})


@person_required
def shared_plan(request: PersonRequest, code: UUID) -> HttpResponse:
    """Someone's mission and plan, read-only, for a person they share them with.

    The owner's access log gets one row per kind of thing the page showed: their
    mission statement, if they have one, and their development plan (with its
    objectives), if they have started one. A page with neither records nothing."""
    me = request.person
    if code == me.code:
        return HttpResponseRedirect(reverse("growth:home"))
    owner = policy.get_sharer_for(me, code)
    plan = DevelopmentPlan.objects.visible_to(me).filter(owner=owner).first()
    objectives = _objectives(plan, me).prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.select_related("owner")),
        Prefetch("check_ins", queryset=CheckIn.objects.order_by("-created_at", "-id")),
    )
    mission = MissionStatement.objects.visible_to(me).filter(owner=owner).current().first()
    if mission is not None:
        record_read(request, owner, Kind.MISSION_STATEMENT)
    if plan is not None:
        record_read(request, owner, Kind.DEVELOPMENT_PLAN)
    return render(
        request,
        "growth/shared_plan.html",
        {
            "owner": owner,
            "mission": mission,
            "plan": plan,
            "objectives": objectives,
            "today": timezone.localdate(),
        },
    )
