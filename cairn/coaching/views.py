from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cairn.coaching import calendar, policy, services
from cairn.coaching.agreements import ending_reached, sponsor_sees_words, terms_for
from cairn.coaching.forms import (
    ActionItemForm,
    AgendaItemForm,
    AgreementForm,
    DebriefForm,
    MoveSessionForm,
    NoteForm,
    ProposeEngagementForm,
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
    TemplateSection,
    VersionStatus,
)
from cairn.lib.htmx import answer
from cairn.people.decorators import PersonRequest, person_required
from cairn.trust.models import Kind
from cairn.trust.services import record_read

UNENDED_DAYS = 14
# How long after closing the home page still invites a party to write their debrief.
DEBRIEF_INVITE = dt.timedelta(days=90)


# --- home --------------------------------------------------------------------------


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
        .order_by("scheduled_for", "pk")
    )
    action_items = (
        ActionItem.objects.visible_to(me)
        .open()
        .filter(owner=me)
        .select_related("engagement__giver", "engagement__receiver")
    )
    engagements = (
        mine.open()
        .select_related("giver", "receiver")
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
        .order_by("kind", "created_at")
    )
    # Closed engagements still waiting for the viewer's debrief.
    to_debrief = (
        mine.filter(status=EngagementStatus.CLOSED, closed_at__gte=now - DEBRIEF_INVITE)
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
    # A list, read once: the page lists it, and the agreement counts what was held.
    sessions = list(
        engagement.sessions.select_related("template")
        .annotate(
            agenda_count=Count("agenda_items", distinct=True),
            action_count=Count("action_items", distinct=True),
        )
        .order_by("-scheduled_for")
    )
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
            engagement=engagement, initial=AgreementForm.initial_from(terms)
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
    held = sum(1 for s in sessions if s.is_completed)
    if debrief_form is None and mine is None and policy.can_write_debrief(me, engagement):
        debrief_form = DebriefForm(engagement=engagement, viewer=request.person)
    return {
        "engagement": engagement,
        "other": engagement.other_party(me),
        "sessions": sessions,
        "sessions_held": held,
        "agreement_has_run_its_course": current is not None
        and engagement.is_open
        and ending_reached(current, sessions_held=held, today=timezone.localdate(now)),
        "open_items": engagement.action_items.open().select_related("owner"),
        "schedule_form": schedule_form,
        "can_accept": policy.can_accept(me, engagement, pending),
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
def engagement_close(request: PersonRequest, code: UUID) -> HttpResponse:
    engagement = policy.get_engagement_for(request.person, code)
    services.close_engagement(request.person, engagement)
    messages.success(
        request, "The engagement is closed. Its history stays here: now write your debrief."
    )
    return HttpResponseRedirect(reverse("coaching:engagement", args=[engagement.code]) + "#debrief")


def _answer_engagement(
    request: PersonRequest, engagement: Engagement, partial: str, ok: bool, **extra: Any
) -> HttpResponse:
    return answer(
        request,
        template="coaching/engagement.html",
        partial=partial,
        context=_engagement_context(request, engagement, **extra),
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
            services.propose_amendment(me, engagement, form.terms())
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
        "sections": TemplateSection.objects.filter(template_id=session.template_id),
        # Objectives the viewer may read that someone linked to this session for review.
        "agenda_items": session.agenda_items.visible_to(me).select_related("author"),
        "notes": Note.objects.visible_to(me).filter(session=session).select_related("author"),
        # Open items carry forward into every later session until they are done;
        # an item always stays on the page of the session that created it.
        "action_items": ActionItem.objects.visible_to(me)
        .filter(engagement=engagement)
        .filter(
            Q(done_at__isnull=True, session__scheduled_for__lte=session.scheduled_for)
            | Q(session=session)
        )
        .select_related("owner"),
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
    if can_contribute:
        context["agenda_form"] = AgendaItemForm()
        context["note_form"] = NoteForm()
        context["action_form"] = ActionItemForm(engagement=engagement, viewer=me)
    # Moved or cancelled by a party while it is still to come.
    context["can_move"] = (
        can_contribute
        and not session.is_completed
        and not session.is_cancelled
        and session.scheduled_for > timezone.now()
    )
    if context["can_move"]:
        context["move_form"] = MoveSessionForm(
            initial={"scheduled_for": timezone.localtime(session.scheduled_for)}
        )
    context.update(forms)
    return context


def _session_url(session: Session, anchor: str) -> str:
    return reverse("coaching:session", args=[session.code]) + f"#{anchor}"


def _answer(
    request: PersonRequest, session: Session, partial: str, ok: bool, **forms: Any
) -> HttpResponse:
    return answer(
        request,
        template="coaching/session.html",
        partial=partial,
        context=_session_context(request, session, **forms),
        success_url=_session_url(session, partial),
        ok=ok,
    )


@require_POST
@person_required
def session_complete(request: PersonRequest, code: UUID) -> HttpResponse:
    session = policy.get_session_for(request.person, code)
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
    note = policy.get_note_for(request.person, code)
    services.delete_note(request.person, note)
    return _answer(request, note.session, "notes", True)


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
    form = MoveSessionForm(request.POST)
    if form.is_valid():
        try:
            services.reschedule_session(me, session, form.cleaned_data["scheduled_for"])
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
    """GET asks to confirm; POST cancels. Both parties get the cancellation."""
    me = request.person
    session = policy.get_session_for(me, code)
    error = ""
    if request.method == "POST":
        try:
            services.cancel_session(me, session)
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
        },
        status=422 if error else 200,
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
