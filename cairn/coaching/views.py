from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cairn.coaching import calendar, policy, services, tips
from cairn.coaching.agreements import ending_reached, sponsor_sees_words, terms_for
from cairn.coaching.cadence import cadence_record
from cairn.coaching.forms import (
    ActionItemForm,
    AgendaItemForm,
    AgreementForm,
    DebriefForm,
    MoveSessionForm,
    NoteForm,
    ProposeEngagementForm,
    ReasonForm,
    ScheduleSessionForm,
)
from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    AgreementVersion,
    CalendarFeed,
    Debrief,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Note,
    Session,
    VersionStatus,
)
from cairn.coaching.stalled import is_stalled
from cairn.lib.confirm import ask, confirmed
from cairn.lib.htmx import answer, render_page, respond
from cairn.lib.versions import Conflict, Side, conflict_answer, theirs
from cairn.people.decorators import PersonRequest, person_required
from cairn.people.models import Person
from cairn.trust.models import Kind
from cairn.trust.services import record_read

UNENDED_DAYS = 14
# How long after closing the home page still invites a party to write their debrief.
DEBRIEF_INVITE = dt.timedelta(days=90)


# --- home --------------------------------------------------------------------------


# The reasons a session was moved or an engagement declined: encrypted, and not
# shown on the home page, so not read (each would be decrypted, row by row).
_UNREAD_REASONS = ("change_reason", "engagement__decline_reason")


@person_required
def home(request: PersonRequest) -> HttpResponse:
    """My week: upcoming sessions, my open action items, the people I meet with."""
    me = request.person
    now = timezone.now()
    mine = Engagement.objects.for_party(me)
    # The next session of every engagement, however far ahead, and the past
    # fortnight's sessions nobody has ended yet: one query, bounded by the viewer's
    # engagements (a correlated subquery picks each engagement's next one).
    next_of_engagement = (
        Session.objects.upcoming()
        .filter(engagement=OuterRef("engagement"), scheduled_for__gte=now)
        .order_by("scheduled_for", "pk")
        .values("pk")[:1]
    )
    upcoming = (
        Session.objects.visible_to(me)
        .upcoming()
        .filter(
            Q(pk=Subquery(next_of_engagement))
            | Q(scheduled_for__lt=now, scheduled_for__gte=now - dt.timedelta(days=UNENDED_DAYS))
        )
        # A session missed before its engagement closed can no longer be held or ended.
        .exclude(engagement__status=EngagementStatus.CLOSED)
        .select_related("engagement__giver", "engagement__receiver")
        .defer(*_UNREAD_REASONS)
        .order_by("scheduled_for", "pk")
    )
    action_items = (
        ActionItem.objects.visible_to(me)
        .open()
        .filter(owner=me)
        .select_related("engagement__giver", "engagement__receiver")
        .defer("engagement__decline_reason")
    )
    engagements = (
        mine.open()
        .select_related("giver", "receiver")
        .defer("decline_reason")
        .annotate(
            next_session_at=Min(
                "sessions__scheduled_for",
                filter=Q(sessions__completed_at=None, sessions__cancelled_at=None),
            ),
            # Who proposed the agreement version waiting to be accepted, if one is:
            # it waits for the other party.
            agreement_pending_by=Subquery(
                AgreementVersion.objects.filter(
                    engagement=OuterRef("pk"), status=VersionStatus.PENDING
                ).values("proposed_by_id")[:1]
            ),
        )
        # The id breaks ties (the demo starts many at one moment): the same order on
        # every render, also after a restore has laid the rows out afresh.
        .order_by("kind", "created_at", "pk")
    )
    # Closed engagements still waiting for the viewer's debrief.
    to_debrief = (
        mine.filter(status=EngagementStatus.CLOSED, closed_at__gte=now - DEBRIEF_INVITE)
        # A declined proposal was never held: there is nothing to debrief.
        .filter(declined_at__isnull=True)
        .exclude(kind=EngagementKind.ONE_ON_ONE)
        .exclude(debriefs__author=me)
        .select_related("giver", "receiver")
        .order_by("-closed_at")
    )
    return render(
        request,
        "coaching/home.html",
        {
            "upcoming": [(session, _how_far(session, now)) for session in upcoming],
            "action_items": action_items,
            "engagements": engagements,
            "to_debrief": to_debrief,
            "today": timezone.localdate(),
            "now": now,
        },
    )


def _how_far(session: Session, now: dt.datetime) -> str:
    """How far off a session is, in the viewer's calendar days: "today", "in 9 days"."""
    days = (timezone.localdate(session.scheduled_for) - timezone.localdate(now)).days
    if session.scheduled_for < now:
        return "not wrapped up yet"
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


# --- engagements -------------------------------------------------------------------

SESSIONS_PAGE_SIZE = 20


@person_required
def engagement_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    engagement = policy.get_engagement_for(request.person, code)
    return render(request, "coaching/engagement.html", _engagement_context(request, engagement))


def _engagement_context(
    request: PersonRequest,
    engagement: Engagement,
    schedule_form: ScheduleSessionForm | None = None,
    agreement_form: AgreementForm | None = None,
    debrief_form: DebriefForm | None = None,
    agreement_error: str = "",
    decline_form: ReasonForm | None = None,
    conflict: Side | None = None,
) -> dict[str, Any]:
    me = request.person
    if schedule_form is None and policy.can_schedule(me, engagement):
        schedule_form = ScheduleSessionForm(
            viewer=me,
            initial={
                "scheduled_for": timezone.localtime(services.next_session_time(engagement)),
                "template": engagement.template,
            },
        )
    # Every session's times, read once and light: the cadence record and the
    # agreement count what was held over the whole engagement. The page lists a page
    # of them, newest first (years of weekly one-on-ones are hundreds of sessions).
    # (Built from plain values: a deferred-field model instance would load its other
    # fields one query per session.)
    timeline = [
        Session(
            pk=pk,
            scheduled_for=scheduled_for,
            completed_at=completed_at,
            cancelled_at=cancelled_at,
        )
        for pk, scheduled_for, completed_at, cancelled_at in engagement.sessions.order_by(
            "-scheduled_for", "-pk"
        ).values_list("pk", "scheduled_for", "completed_at", "cancelled_at")
    ]
    pages = Paginator(
        engagement.sessions.select_related("template", "changed_by")
        .annotate(
            agenda_count=Count("agenda_items", distinct=True),
            action_count=Count("action_items", distinct=True),
        )
        .order_by("-scheduled_for", "-pk"),
        SESSIONS_PAGE_SIZE,
    )
    pages.__dict__["count"] = len(timeline)  # known already: no COUNT query
    page = pages.get_page(request.GET.get("sessions"))
    sessions = list(page.object_list)
    # Every version, read once: the one in force and the one waiting are found
    # among them, so the page costs the same at one version or fifty.
    versions = list(
        AgreementVersion.objects.visible_to(me)
        .filter(engagement=engagement)
        .select_related("proposed_by", "accepted_by")
        .order_by("-number")
    )
    for version in versions:
        version.engagement = engagement  # policy checks read it; no query per version
    current = next((v for v in versions if v.is_accepted), None)
    pending = next((v for v in versions if v.is_pending), None)
    if agreement_form is None and engagement.needs_agreement and engagement.is_open:
        latest = pending or current
        terms = (
            services.terms_of(latest) if latest else terms_for(engagement.kind, engagement.cadence)
        )
        agreement_form = AgreementForm(
            engagement=engagement,
            initial={
                **AgreementForm.initial_from(terms),
                "version": latest.number if latest else 0,
            },
        )
    debriefs: list[Debrief] = []
    other_has_written = False
    now = timezone.now()
    shown_from = policy.debriefs_shown_from(engagement)
    # Debriefs are written once the engagement has closed: an open one has none.
    if not engagement.is_open:
        debriefs = list(
            Debrief.objects.visible_to(me, now=now)
            .filter(engagement=engagement)
            .select_related("author")
        )
        other_has_written = any(d.author_id != me.pk for d in debriefs) or (
            # Theirs may be written but not shown yet: whether it is, never what.
            not debriefs
            and shown_from is not None
            and now < shown_from
            and policy.other_has_written_debrief(me, engagement)
        )
    mine = next((d for d in debriefs if d.author_id == me.pk), None)
    held = sum(1 for s in timeline if s.is_completed)
    # The cadence in force: the agreement's, else the engagement's (a one-on-one).
    record = cadence_record(
        timeline,
        current.cadence if current else engagement.cadence,
        is_open=engagement.is_open and engagement.status != EngagementStatus.PROPOSED,
        now=now,
    )
    for session in sessions:
        setattr(session, "missed_days", record.missed_before.get(session.pk))  # noqa: B010
    can_accept = policy.can_accept(me, engagement, pending)
    if decline_form is None and can_accept:
        decline_form = ReasonForm(auto_id="decline-%s")
    if debrief_form is None and mine is None and policy.can_write_debrief(me, engagement):
        debrief_form = DebriefForm(engagement=engagement, viewer=request.person)
    return {
        "engagement": engagement,
        "other": engagement.other_party(me),
        "sessions": sessions,
        "sessions_page": page,
        # The list counts down from the newest; a later page goes on from there.
        "sessions_first_number": len(timeline) - page.start_index() + 1 if sessions else 0,
        "sessions_held": held,
        "agreement_has_run_its_course": current is not None
        and engagement.is_open
        and ending_reached(current, sessions_held=held, today=timezone.localdate(now)),
        "open_items": engagement.action_items.open().select_related("owner"),
        "schedule_form": schedule_form,
        "can_accept": can_accept,
        "decline_form": decline_form,
        "cadence": record,
        # Over every session, not the page shown: page 2 of a healthy engagement
        # holds neither the last meeting nor the next one.
        "stalled": is_stalled(engagement, timeline, now),
        "can_close": policy.can_close(me, engagement),
        "today": timezone.localdate(),
        "versions": versions,
        # Counseling's "nothing" means not even that it exists; the others' words
        # are their choice's label.
        "counseling_sponsor_words": sponsor_sees_words(engagement.kind, "nothing")
        if engagement.kind == EngagementKind.COUNSELING
        else "",
        "current_version": current,
        "pending_version": pending,
        "can_accept_pending": pending is not None and policy.can_accept_version(me, pending),
        "agreement_form": agreement_form,
        "agreement_error": agreement_error,
        "conflict": conflict,
        "thing": "agreement",
        "debriefs": debriefs,
        "my_debrief": mine,
        "theirs_shown": any(d.author_id != me.pk for d in debriefs),
        "other_has_written": other_has_written,
        "debriefs_shown_from": shown_from,
        # Once theirs is written the form goes; a refused second one still says why.
        "debrief_form": debrief_form,
    }


@person_required
def engagement_new(request: PersonRequest) -> HttpResponse:
    me = request.person
    # Bound on every POST, even an empty one, so that it answers with its errors.
    form = ProposeEngagementForm(
        request.POST if request.method == "POST" else None, viewer=me, search=request.GET
    )
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        giver, receiver = (
            (me, other) if form.cleaned_data["role"] == form.ROLE_GIVER else (other, me)
        )
        try:
            engagement = services.propose_engagement(
                me,
                giver=giver,
                receiver=receiver,
                kind=form.cleaned_data["kind"],
                cadence=form.cleaned_data["cadence"],
                template=form.cleaned_data["template"],
                direction=form.cleaned_data["direction"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Proposed to {other.name}. It starts when they agree.")
            return HttpResponseRedirect(reverse("coaching:engagement", args=[engagement.code]))
    status = 422 if form.errors else 200
    return render(request, "coaching/engagement_new.html", {"form": form}, status=status)


@require_POST
@person_required
def engagement_accept(request: PersonRequest, code: UUID) -> HttpResponse:
    engagement = policy.get_engagement_for(request.person, code)
    if engagement.status != EngagementStatus.PROPOSED:
        # A second click, or both sides at once: it is agreed already.
        messages.info(request, "This engagement is already agreed.")
        return HttpResponseRedirect(reverse("coaching:engagement", args=[engagement.code]))
    try:
        services.accept_engagement(request.person, engagement)
    except ValidationError:
        # Both sides at once: the other click accepted it first.
        messages.info(request, "This engagement is already agreed.")
    else:
        messages.success(request, "Agreed. Schedule your first session when you are ready.")
    return HttpResponseRedirect(reverse("coaching:engagement", args=[engagement.code]))


@require_POST
@person_required
def engagement_decline(request: PersonRequest, code: UUID) -> HttpResponse:
    """The party a proposal waits for declines it, with an optional reason for the
    proposer. Asks first (a dialog with JavaScript, a page without)."""
    me = request.person
    engagement = policy.get_engagement_for(me, code)
    url = reverse("coaching:engagement", args=[engagement.code])
    if engagement.status != EngagementStatus.PROPOSED:
        messages.info(request, "This proposal has been answered already.")
        return HttpResponseRedirect(url)
    form = ReasonForm(request.POST, auto_id="decline-%s")
    if form.is_valid():
        other = engagement.other_party(me)
        if not confirmed(request):
            return ask(
                request,
                question=f"Decline the {engagement.get_kind_display().lower()} engagement "
                f"with {other.name}?",
                button="Decline it",
                back_url=url,
                detail=f"{other.name} is told that you declined, and reads your reason "
                "here if you gave one. Either of you can propose again later.",
                keep=["reason"],
            )
        try:
            services.decline_engagement(me, engagement, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Declined. {other.name} has been told.")
            return HttpResponseRedirect(url)
    return render(
        request,
        "coaching/engagement.html",
        _engagement_context(request, engagement, decline_form=form),
        status=422,
    )


@require_POST
@person_required
def engagement_close(request: PersonRequest, code: UUID) -> HttpResponse:
    engagement = policy.get_engagement_for(request.person, code)
    url = reverse("coaching:engagement", args=[engagement.code])
    if not engagement.is_open:
        messages.info(request, "This engagement is closed already.")
        return HttpResponseRedirect(url)
    if not confirmed(request):
        other = engagement.other_party(request.person)
        return ask(
            request,
            question=f"Close the {engagement.get_kind_display().lower()} engagement "
            f"with {other.name}?",
            button="Close it",
            back_url=url,
            detail="Sessions still to come will not be held. Nothing either of you wrote "
            "is deleted: the history stays here, and the debrief comes next.",
        )
    services.close_engagement(request.person, engagement)
    messages.success(
        request, "The engagement is closed. Its history stays here: now write your debrief."
    )
    return HttpResponseRedirect(url + "#debrief")


def _answer_engagement(
    request: PersonRequest, engagement: Engagement, partial: str, ok: bool, **extra: Any
) -> HttpResponse:
    return answer(
        request,
        template="coaching/engagement.html",
        partial=partial,
        context=lambda: _engagement_context(request, engagement, **extra),
        success_url=reverse("coaching:engagement", args=[engagement.code]) + f"#{partial}",
        ok=ok,
    )


@require_POST
@person_required
def agreement_propose(request: PersonRequest, code: UUID) -> HttpResponse:
    """Either party proposes a new version of the agreement."""
    me = request.person
    engagement = policy.get_engagement_for(me, code)
    if not engagement.needs_agreement:
        raise Http404
    form = AgreementForm(request.POST, engagement=engagement)
    if form.is_valid():
        try:
            services.propose_amendment(me, engagement, form.terms(), opened=form.opened)
        except Conflict as conflict:
            # Another version came on the table since the form was opened: the
            # proposal stays in the form, at that version, beside the one saved now.
            side = theirs(
                conflict, form, lambda v: AgreementForm.initial_from(services.terms_of(v))
            )
            return conflict_answer(
                request,
                template="coaching/engagement.html",
                partial="agreement",
                target="#agreement",
                context=_engagement_context(
                    request,
                    engagement,
                    agreement_form=form.reopened(conflict, engagement=engagement),
                    conflict=side,
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Proposed. It holds once {engagement.other_party(me).name} accepts it."
            )
            return _answer_engagement(request, engagement, "agreement", True)
    return _answer_engagement(request, engagement, "agreement", False, agreement_form=form)


@require_POST
@person_required
def agreement_accept(request: PersonRequest, code: UUID) -> HttpResponse:
    """The other party accepts a version waiting for them. A plain post and redirect
    (no partial): accepting can make the whole engagement agreed."""
    me = request.person
    version = policy.get_agreement_version_for(me, code)
    engagement = version.engagement
    try:
        services.accept_agreement(me, version)
    except ValidationError as error:
        return render(
            request,
            "coaching/engagement.html",
            _engagement_context(request, engagement, agreement_error=" ".join(error.messages)),
            status=422,
        )
    if engagement.status == EngagementStatus.AGREED:
        messages.success(request, "Agreed. Schedule your first session when you are ready.")
    else:
        messages.success(request, f"Accepted: version {version.number} is now in force.")
    return HttpResponseRedirect(
        reverse("coaching:engagement", args=[engagement.code]) + "#agreement"
    )


@require_POST
@person_required
def debrief_write(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    engagement = policy.get_engagement_for(me, code)
    form = DebriefForm(request.POST, engagement=engagement, viewer=me)
    if form.is_valid():
        try:
            with transaction.atomic():
                debrief = services.write_debrief(
                    me,
                    engagement,
                    learnings=form.cleaned_data["learnings"],
                    distinctions=form.cleaned_data["distinctions"],
                    felt=form.cleaned_data["felt"],
                    next_steps=form.cleaned_data["next_steps"],
                )
                form.save_parts(debrief)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _answer_engagement(request, engagement, "debrief", True)
    return _answer_engagement(request, engagement, "debrief", False, debrief_form=form)


@person_required
def sponsor_summary(request: PersonRequest, code: UUID) -> HttpResponse:
    """What the receiver's managers may see of an engagement, field by field as its
    agreement grants (404 when it grants nothing, and always for counseling). A
    manager's read is recorded for the receiver to see; a party's is not."""
    me = request.person
    summary = policy.get_sponsor_summary_for(me, code)
    engagement = summary.engagement
    recorded = not engagement.is_party(me)
    if recorded:
        record_read(request, engagement.receiver, Kind.SPONSOR_SUMMARY)
    sessions = (
        # A cancelled session is no date of theirs: it is left out.
        engagement.sessions.filter(cancelled_at__isnull=True).only(
            "scheduled_for", "completed_at", "engagement_id"
        )
        if summary.shows_dates
        else None
    )
    return render(
        request,
        "coaching/sponsor.html",
        {"summary": summary, "sessions": sessions, "recorded": recorded},
    )


@require_POST
@person_required
def session_schedule(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    engagement = policy.get_engagement_for(me, code)
    form = ScheduleSessionForm(request.POST, viewer=me)
    if form.is_valid():
        session = services.schedule_session(
            me,
            engagement,
            scheduled_for=form.cleaned_data["scheduled_for"],
            template=form.cleaned_data["template"],
        )
        return HttpResponseRedirect(reverse("coaching:session", args=[session.code]))
    return render(
        request,
        "coaching/engagement.html",
        _engagement_context(request, engagement, schedule_form=form),
        status=422,
    )


# --- the live session page ---------------------------------------------------------


@person_required
def session_detail(request: PersonRequest, code: UUID) -> HttpResponse:
    session = policy.get_session_for(request.person, code)
    return render(request, "coaching/session.html", _session_context(request, session))


def _session_context(request: PersonRequest, session: Session, **forms: Any) -> dict[str, Any]:
    """Everything the session page shows. Querysets stay lazy, so a partial render
    runs only the queries of its own part."""
    me = request.person
    engagement = session.engagement
    can_contribute = policy.can_contribute(me, engagement)
    context: dict[str, Any] = {
        "session": session,
        "engagement": engagement,
        "other": engagement.other_party(me),
        "can_contribute": can_contribute,
        "today": timezone.localdate(),
        # The template as the viewer's side reads it: the leader (the giver) shares
        # first; the practice tips are the leader's alone. Callables, so that a
        # partial render of another card runs none of their queries.
        "leads": tips.leads(me, session),
        "sections": lambda: tips.sections_for(me, session),
        "leader_tips": lambda: tips.leader_tips(me, session),
        # Objectives the viewer may read that someone linked to this session for review.
        "agenda_items": policy.agenda_on(me, session).select_related("author"),
        "notes": policy.notes_on(me, session).select_related("author"),
        "action_items": _session_action_items(me, session),
        # engagement_id too: the related manager sets ``.engagement`` on what it
        # returns, and reading a deferred engagement_id for that costs a query.
        "previous_session": engagement.sessions.filter(scheduled_for__lt=session.scheduled_for)
        .order_by("-scheduled_for")
        .only("code", "scheduled_for", "engagement_id")
        .first,
        "next_session": engagement.sessions.filter(scheduled_for__gt=session.scheduled_for)
        .order_by("scheduled_for")
        .only("code", "scheduled_for", "engagement_id")
        .first,
    }
    # The code of the one row shown as its edit form (``editing``), and that form.
    context["editing"] = None
    if can_contribute:
        context["agenda_form"] = AgendaItemForm()
        context["note_form"] = NoteForm()
        context["action_form"] = ActionItemForm(engagement=engagement, viewer=me)
    # Moved or cancelled by a party while it is still to come; skipped while it
    # has not ended (a session that did not happen is skipped, not ended).
    still_open = can_contribute and not session.is_completed and not session.is_cancelled
    in_future = session.scheduled_for > timezone.now()
    context["can_move"] = still_open and in_future
    context["can_skip"] = still_open
    # Ending a session before its time asks first.
    context["ends_early"] = in_future
    if context["can_move"]:
        context["move_form"] = MoveSessionForm(
            initial={"scheduled_for": timezone.localtime(session.scheduled_for)},
            auto_id="move-%s",
        )
    if still_open:
        context["skip_form"] = ReasonForm(auto_id="skip-%s")
    context.update(forms)
    return context


def _session_action_items(me: Person, session: Session) -> QuerySet[ActionItem]:
    """The action items a session's page lists, in one query (see
    ``ActionItemQuerySet.listed_on``)."""
    return policy.action_items_on(me, session).select_related("owner")


@require_POST
@person_required
def session_tips(request: PersonRequest, code: UUID) -> HttpResponse:
    """The leader puts the template's practice tips away (``hidden=1``) or brings
    them back (``hidden=0``). Not the leader's session: 404."""
    session = policy.get_session_for(request.person, code)
    if not tips.can_see_tips(request.person, session):
        raise Http404
    form = tips.TipsForm(request.POST)
    if not form.is_valid():
        return _answer(request, session, "leader-tips", False, tips_form=form)
    tips.set_tips_hidden(request.person, session, hidden=form.cleaned_data["hidden"])
    return _answer(request, session, "leader-tips", True)


def _session_url(session: Session, anchor: str) -> str:
    return reverse("coaching:session", args=[session.code]) + f"#{anchor}"


def _answer(
    request: PersonRequest, session: Session, partial: str, ok: bool, **forms: Any
) -> HttpResponse:
    return answer(
        request,
        template="coaching/session.html",
        partial=partial,
        context=lambda: _session_context(request, session, **forms),
        success_url=_session_url(session, partial),
        ok=ok,
    )


@require_POST
@person_required
def session_complete(request: PersonRequest, code: UUID) -> HttpResponse:
    session = policy.get_session_for(request.person, code)
    if (
        session.scheduled_for > timezone.now()
        and not session.is_completed
        and not session.is_cancelled
        and not confirmed(request)
    ):
        when = timezone.localtime(session.scheduled_for)
        return ask(
            request,
            question=f"This session is scheduled for {when:%a %-d %b, %H:%M}. End it now?",
            button="End it now",
            back_url=reverse("coaching:session", args=[session.code]),
            detail="It is recorded as held now, and the points not discussed move to "
            "the next session.",
            title="End the session before its time?",
        )
    try:
        next_session = services.complete_session(request.person, session)
    except ValidationError as error:
        # Ended already (a double click, or the other party was quicker): say so.
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("coaching:session", args=[session.code]))
    messages.success(request, "Session ended. Points you did not get to are on the next agenda.")
    return HttpResponseRedirect(reverse("coaching:session", args=[next_session.code]))


@require_POST
@person_required
def agenda_add(request: PersonRequest, code: UUID) -> HttpResponse:
    session = policy.get_session_for(request.person, code)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_agenda_item(request.person, session, form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = AgendaItemForm()
            return _answer(request, session, "agenda", True, agenda_form=form)
    return _answer(request, session, "agenda", False, agenda_form=form)


@require_POST
@person_required
def agenda_mark(request: PersonRequest, code: UUID) -> HttpResponse:
    item: AgendaItem = policy.get_agenda_item_for(request.person, code)
    services.mark_agenda_item(request.person, item, discussed=request.POST.get("discussed") == "1")
    return _answer(request, item.session, "agenda", True)


@require_POST
@person_required
def agenda_dismiss_nudge(request: PersonRequest, code: UUID) -> HttpResponse:
    item: AgendaItem = policy.get_agenda_item_for(request.person, code)
    services.dismiss_status_nudge(request.person, item)
    return _answer(request, item.session, "agenda", True)


@require_POST
@person_required
def note_add(request: PersonRequest, code: UUID) -> HttpResponse:
    session = policy.get_session_for(request.person, code)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(
            request.person,
            session,
            body=form.cleaned_data["body"],
            visibility=form.cleaned_data["visibility"],
        )
        return _answer(request, session, "notes", True, note_form=NoteForm())
    return _answer(request, session, "notes", False, note_form=form)


@require_POST
@person_required
def note_delete(request: PersonRequest, code: UUID) -> HttpResponse:
    """Its author removes a note, once they have said yes (``cairn.lib.confirm``).
    The form names its session, so that a second click finds the note gone and
    says so instead of a 404."""
    me = request.person
    try:
        note = policy.get_note_for(me, code)
    except Http404:
        session_code = request.POST.get("session")
        if not session_code:
            raise
        return _tell(request, policy.get_session_for(me, session_code), "notes", NOTE_GONE)
    if not policy.can_edit_note(me, note):
        raise Http404
    if not confirmed(request):
        return ask(
            request,
            question="Delete this note?",
            button="Delete it",
            back_url=_session_url(note.session, "notes"),
            detail="It is gone for good.",
            keep=["session"],
        )
    services.delete_note(me, note)
    return _answer(request, note.session, "notes", True)


# --- everyday editing: agenda points, notes and action items -----------------------
#
# Each edit is a GET that shows the session page (or, to htmx, its card) with the
# row as a form, and a POST that saves it and answers as adding does. Each removal
# asks first (``cairn.lib.confirm``). The session is in the URL: the page to answer
# with, and the way a second click on something already removed is told so (a
# thing not found among what the viewer may see of that session, whether removed
# or never theirs to see, is "not here any more", the same either way). A session
# that is not the viewer's is a 404, as is a row of it that is not theirs to change.

# The row's form sits on the page beside the form that adds one: its own ids.
EDIT_ID = "edit-%s"
# Said alike of a row removed a moment ago and of one never the viewer's to see.
AGENDA_GONE = "That talking point is not on the agenda any more."
NOTE_GONE = "That note is not here any more."
ACTION_GONE = "That action item is not here any more."


def _tell(request: PersonRequest, session: Session, partial: str, message: str) -> HttpResponse:
    """Nothing changed, and why: the card with the message to htmx, the page with it
    to a browser."""

    def browser() -> HttpResponse:
        messages.info(request, message)
        return HttpResponseRedirect(_session_url(session, partial))

    return respond(
        request,
        htmx=lambda: render(
            request,
            f"coaching/session.html#{partial}",
            _session_context(request, session, notice=message),
        ),
        browser=browser,
    )


def _refused(
    request: PersonRequest, session: Session, partial: str, error: ValidationError
) -> HttpResponse:
    """A change refused for the row's sake, not its words (it went a moment ago, its
    session ended): the card as it now is, saying why, 422."""
    return _answer(request, session, partial, False, notice=" ".join(error.messages))


def _editing(
    request: PersonRequest, session: Session, partial: str, code: UUID, form: Any
) -> HttpResponse:
    """The session page, or its card, with the row ``code`` shown as ``form``."""
    return render_page(
        request,
        "coaching/session.html",
        partial,
        _session_context(request, session, editing=code, edit_form=form),
    )


def _focused(form: Any, field: str) -> Any:
    """The editor opens with its first field focused (htmx focuses it once swapped in)."""
    form.fields[field].widget.attrs["autofocus"] = True
    return form


def _find(queryset: QuerySet[Any], code: UUID) -> Any:
    return queryset.filter(code=code).first()


@person_required
def agenda_edit(request: PersonRequest, code: UUID, item: UUID) -> HttpResponse:
    """Its author rewrites a talking point while the session has not ended."""
    me = request.person
    session = policy.get_session_for(me, code)
    point: AgendaItem | None = _find(session.agenda_items.visible_to(me), item)
    if point is None:
        return _tell(request, session, "agenda", AGENDA_GONE)
    point.session = session
    if not policy.is_agenda_item_author(me, point):
        raise Http404
    if request.method != "POST":
        if not policy.can_edit_agenda_item(me, point):
            fixed = AGENDA_FIXED if session.engagement.is_open else ENGAGEMENT_CLOSED
            return _tell(request, session, "agenda", fixed)
        return _editing(
            request,
            session,
            "agenda",
            point.code,
            _focused(AgendaItemForm(initial={"text": point.text}, auto_id=EDIT_ID), "text"),
        )
    form = AgendaItemForm(request.POST, auto_id=EDIT_ID)
    if form.is_valid():
        try:
            services.edit_agenda_item(me, point, form.cleaned_data["text"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Not the words but the row: gone, or no longer to be changed.
                return _refused(request, session, "agenda", error)
            form.add_error(None, error)
        else:
            return _answer(request, session, "agenda", True)
    return _answer(request, session, "agenda", False, editing=point.code, edit_form=form)


AGENDA_FIXED = "This session has ended: its agenda stays as it was."
ENGAGEMENT_CLOSED = "This engagement is closed: its sessions stay as they were."


def _remove_once_asked(
    request: PersonRequest,
    session: Session,
    card: str,
    *,
    question: str,
    button: str,
    detail: str,
    remove: Callable[[], object],
) -> HttpResponse:
    """A removal from a session's card: ask first (``cairn.lib.confirm``), then
    remove, and answer with the card — or with why the service refused."""
    if not confirmed(request):
        return ask(
            request,
            question=question,
            button=button,
            back_url=_session_url(session, card),
            detail=detail,
        )
    try:
        remove()
    except ValidationError as error:
        return _tell(request, session, card, " ".join(error.messages))
    return _answer(request, session, card, True)


@require_POST
@person_required
def agenda_remove(request: PersonRequest, code: UUID, item: UUID) -> HttpResponse:
    """Its author takes a point off the agenda (also the status nudge's "move it off
    the agenda"), once they have said yes."""
    me = request.person
    session = policy.get_session_for(me, code)
    point: AgendaItem | None = _find(session.agenda_items.visible_to(me), item)
    if point is None:
        return _tell(request, session, "agenda", AGENDA_GONE)
    point.session = session
    if not policy.is_agenda_item_author(me, point):
        raise Http404
    return _remove_once_asked(
        request,
        session,
        "agenda",
        question="Take this point off the agenda?",
        button="Take it off",
        detail=f"“{point.text}” goes from this session's agenda.",
        remove=lambda: services.remove_agenda_item(me, point),
    )


@person_required
def note_edit(request: PersonRequest, code: UUID, item: UUID) -> HttpResponse:
    """Its author rewrites a note or changes who reads it; an edited shared note
    says so to both parties."""
    me = request.person
    session = policy.get_session_for(me, code)
    note: Note | None = _find(Note.objects.visible_to(me).filter(session=session), item)
    if note is None:
        return _tell(request, session, "notes", NOTE_GONE)
    note.session = session
    if not policy.can_edit_note(me, note):
        raise Http404
    if request.method != "POST":
        form = NoteForm(initial={"body": note.body, "visibility": note.visibility}, auto_id=EDIT_ID)
        return _editing(request, session, "notes", note.code, _focused(form, "body"))
    form = NoteForm(request.POST, auto_id=EDIT_ID)
    if form.is_valid():
        try:
            services.edit_note(
                me,
                note,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Not the words but the row: gone, or no longer to be changed.
                return _refused(request, session, "notes", error)
            form.add_error(None, error)
        else:
            return _answer(request, session, "notes", True)
    return _answer(request, session, "notes", False, editing=note.code, edit_form=form)


def _action_item_form(
    request: PersonRequest, session: Session, action: ActionItem
) -> ActionItemForm:
    # Built with the item as ``instance``: other apps' parts (an objective it
    # belongs to) fill in their values, and save them with the item.
    return ActionItemForm(
        request.POST if request.method == "POST" else None,
        engagement=session.engagement,
        viewer=request.person,
        instance=action,
        auto_id=EDIT_ID,
        initial={
            "owner": action.owner,
            "description": action.description,
            "due_on": action.due_on,
        },
    )


def _find_action_item(me: Person, session: Session, code: UUID) -> ActionItem | None:
    action: ActionItem | None = _find(
        ActionItem.objects.visible_to(me)
        .filter(engagement_id=session.engagement_id)
        .select_related("owner", "session"),
        code,
    )
    if action is not None:
        action.engagement = session.engagement
    return action


ACTIONS_FIXED = "This engagement is closed: its action items stay as they are."


@person_required
def action_edit(request: PersonRequest, code: UUID, item: UUID) -> HttpResponse:
    """Either party changes what, who or by when of an action item, from the page of
    any session that lists it; a new owner is told."""
    me = request.person
    session = policy.get_session_for(me, code)
    action = _find_action_item(me, session, item)
    if action is None:
        return _tell(request, session, "actions", ACTION_GONE)
    if not policy.can_edit_action_item(me, action):
        return _tell(request, session, "actions", ACTIONS_FIXED)
    form = _action_item_form(request, session, action)
    if request.method != "POST":
        return _editing(request, session, "actions", action.code, _focused(form, "description"))
    if form.is_valid():
        try:
            with transaction.atomic():
                services.edit_action_item(
                    me,
                    action,
                    owner=form.cleaned_data["owner"],
                    description=form.cleaned_data["description"],
                    due_on=form.cleaned_data["due_on"],
                    page=session,
                )
                form.save_parts(action)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Not the words but the row: gone, or no longer to be changed.
                return _refused(request, session, "actions", error)
            form.add_error(None, error)
        else:
            return _answer(request, session, "actions", True)
    return _answer(request, session, "actions", False, editing=action.code, edit_form=form)


@require_POST
@person_required
def action_remove(request: PersonRequest, code: UUID, item: UUID) -> HttpResponse:
    """Either party removes an action item, once they have said yes."""
    me = request.person
    session = policy.get_session_for(me, code)
    action = _find_action_item(me, session, item)
    if action is None:
        return _tell(request, session, "actions", ACTION_GONE)
    if not policy.can_edit_action_item(me, action):
        return _tell(request, session, "actions", ACTIONS_FIXED)
    return _remove_once_asked(
        request,
        session,
        "actions",
        question="Remove this action item?",
        button="Remove it",
        detail=f"“{action.description}” goes for both of you.",
        remove=lambda: services.remove_action_item(me, action),
    )


@require_POST
@person_required
def action_add(request: PersonRequest, code: UUID) -> HttpResponse:
    me = request.person
    session = policy.get_session_for(me, code)
    form = ActionItemForm(request.POST, engagement=session.engagement, viewer=me)
    if form.is_valid():
        with transaction.atomic():
            item = services.add_action_item(
                me,
                session,
                owner=form.cleaned_data["owner"],
                description=form.cleaned_data["description"],
                due_on=form.cleaned_data["due_on"],
            )
            form.save_parts(item)
        form = ActionItemForm(engagement=session.engagement, viewer=me)
        return _answer(request, session, "actions", True, action_form=form)
    return _answer(request, session, "actions", False, action_form=form)


@require_POST
@person_required
def action_mark(request: PersonRequest, code: UUID) -> HttpResponse:
    """Tick an action item off or reopen it, from a session page (``session`` names
    which one to answer with) or from home."""
    me = request.person
    item = policy.get_action_item_for(me, code)
    # The session to answer with is a posted value: resolve it before writing, so a
    # forged code (not the viewer's, another engagement's) gets a 404 and changes
    # nothing.
    session: Session | None = None
    session_code = request.POST.get("session")
    if session_code:
        session = policy.get_session_for(me, session_code)
        if session.engagement_id != item.engagement_id:
            raise Http404
    services.set_action_item_done(me, item, done=request.POST.get("done") == "1")
    if session is not None:
        return _answer(request, session, "actions", True)
    return HttpResponseRedirect(reverse("home"))


@require_POST
@person_required
def session_move(request: PersonRequest, code: UUID) -> HttpResponse:
    """Move a session still to come; both parties get the changed invitation."""
    me = request.person
    session = policy.get_session_for(me, code)
    form = MoveSessionForm(request.POST, auto_id="move-%s")
    if form.is_valid():
        try:
            services.reschedule_session(
                me, session, form.cleaned_data["scheduled_for"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Moved. You both have the new time by email.")
            return HttpResponseRedirect(reverse("coaching:session", args=[session.code]))
    return render(
        request,
        "coaching/session.html",
        _session_context(request, session, move_form=form),
        status=422,
    )


@person_required
def session_cancel(request: PersonRequest, code: UUID) -> HttpResponse:
    """GET asks to confirm, with a place for a reason; POST cancels. Both parties get
    the cancellation, and the other party reads the reason on the session page."""
    me = request.person
    session = policy.get_session_for(me, code)
    error = ""
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(me, session, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, "Cancelled. You both have the cancellation by email.")
            return HttpResponseRedirect(reverse("coaching:session", args=[session.code]))
    return render(
        request,
        "coaching/session_cancel.html",
        {
            "session": session,
            "other": session.engagement.other_party(me),
            "title": calendar.session_title(session),
            "error": error,
            "form": form,
        },
        status=422 if error or form.errors else 200,
    )


@require_POST
@person_required
def session_skip(request: PersonRequest, code: UUID) -> HttpResponse:
    """ "We skip this one": asks first, then marks the session skipped, moves its open
    points to the next session (scheduled by the cadence if need be) and shows it."""
    me = request.person
    session = policy.get_session_for(me, code)
    form = ReasonForm(request.POST, auto_id="skip-%s")
    if form.is_valid():
        if not confirmed(request):
            when = timezone.localtime(session.scheduled_for)
            return ask(
                request,
                question=f"Skip the session of {when:%a %-d %b, %H:%M}?",
                button="Skip it",
                back_url=reverse("coaching:session", args=[session.code]),
                detail="It will not be held. Points not discussed move to the next "
                f"session, and {session.engagement.other_party(me).name} is told.",
                keep=["reason"],
            )
        try:
            next_session = services.skip_session(me, session, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Skipped. Points you did not get to are on this next session's agenda."
            )
            return HttpResponseRedirect(reverse("coaching:session", args=[next_session.code]))
    return render(
        request,
        "coaching/session.html",
        _session_context(request, session, skip_form=form),
        status=422,
    )


# --- the calendar feed -------------------------------------------------------------


@person_required
def calendar_settings(request: PersonRequest) -> HttpResponse:
    """The person's own feed: its URL, and the buttons to reset or stop it."""
    feed = CalendarFeed.objects.filter(person=request.person).first()
    return render(
        request,
        "coaching/calendar.html",
        {"feed": feed, "feed_url": calendar.feed_url(feed) if feed else ""},
    )


@require_POST
@person_required
def calendar_reset(request: PersonRequest) -> HttpResponse:
    had_one = CalendarFeed.objects.filter(person=request.person).exists()
    calendar.reset_feed(request.person)
    messages.success(
        request,
        "Your feed has a new address: the old one no longer works. Subscribe again with this one."
        if had_one
        else "Your feed is ready: subscribe to it in your calendar.",
    )
    return HttpResponseRedirect(reverse("coaching:calendar"))


@require_POST
@person_required
def calendar_stop(request: PersonRequest) -> HttpResponse:
    calendar.stop_feed(request.person)
    messages.success(request, "Your feed is off: its address no longer works.")
    return HttpResponseRedirect(reverse("coaching:calendar"))


@require_safe
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The feed itself, with no log-in: the secret in its URL is the credential. An
    unknown, reset or stopped secret is a 404, found by the same indexed look-up.
    GET and HEAD (some calendar clients ask HEAD first); never POST."""
    feed = calendar.find_feed(secret)
    if feed is None:
        raise Http404
    response = HttpResponse(
        calendar.feed_ics(feed.person), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="cairn.ics"'
    # The URL is a credential and the body private: no shared cache keeps either.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
