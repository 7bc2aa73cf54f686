"""Every write to feedback, one function per use case.

Each checks policy (``PermissionDenied``), validates (``ValidationError`` with a
message a person can read), runs in one transaction and logs by id — never by
content, and never, for an answer, by who wrote it next to which request: the log
line of an answer names the answer alone.

Notifications (``cairn.notifications``) name people and the kind of thing, never
what anyone wrote — and never date an unsigned answer: the asker is told once when
the unsigned answers of a request first reach the threshold at which they show, and
once per signed answer, naming its signer.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import Session
from cairn.feedback import policy
from cairn.feedback.models import (
    ABOUT_MAX,
    ANONYMITY_THRESHOLD,
    ANSWER_MAX,
    DEFAULT_QUESTIONS,
    QUESTION_MAX,
    TAKEAWAY_MAX,
    WHY_MAX,
    About,
    AskStatus,
    FeedbackAnswer,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackShare,
    GivenFeedback,
    GivenStatus,
    SessionFeedback,
    Takeaway,
)
from cairn.growth import services as growth
from cairn.growth.models import Objective
from cairn.lib.access import require
from cairn.mastery.models import Competency
from cairn.notifications.models import Kind
from cairn.notifications.services import notify
from cairn.people.models import Person

log = logging.getLogger("cairn.feedback")

MAX_ASKED = 20
LATEST_DUE = dt.timedelta(days=366)

NOBODY_ASKED = "Choose at least one person to ask."
TOO_MANY_ASKED = f"Ask at most {MAX_ASKED} people at once."
NOT_A_COLLEAGUE = "Choose people from your organisation, other than yourself."
DUE_IN_THE_PAST = "Choose a due date after today."
DUE_TOO_LATE = "Choose a due date within a year."
STRENGTHS_FIRST = "Start with what they do well: write that first."
ALREADY_ANSWERED = "You have already answered this request."


def _text(value: str, *, limit: int, name: str, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError(f"Write {name}.")
    if len(value) > limit:
        raise ValidationError(f"Keep {name} to {limit} characters (it has {len(value)}).")
    return value


# --- asking -----------------------------------------------------------------------


@transaction.atomic
def ask_for_feedback(
    actor: Person,
    *,
    people: Sequence[Person],
    about: str,
    objective: Objective | None = None,
    competency: Competency | None = None,
    question: str = "",
    questions: Sequence[str] = DEFAULT_QUESTIONS,
    due_on: dt.date,
    now: dt.datetime | None = None,
) -> FeedbackRequest:
    """The actor asks ``people`` for feedback on one of their own objectives, a
    competency of their organisation's frameworks, or an open question, by
    ``due_on``. Each person asked is told (``Kind.FEEDBACK_REQUESTED``)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    unique = list({p.pk: p for p in people}.values())
    if not unique:
        raise ValidationError(NOBODY_ASKED)
    if len(unique) > MAX_ASKED:
        raise ValidationError(TOO_MANY_ASKED)
    if not all(policy.can_address(actor, p) for p in unique):
        raise ValidationError(NOT_A_COLLEAGUE)
    if due_on <= today:
        raise ValidationError(DUE_IN_THE_PAST)
    if due_on > today + LATEST_DUE:
        raise ValidationError(DUE_TOO_LATE)
    if about == About.OBJECTIVE:
        if objective is None or objective.plan.owner_id != actor.pk:
            raise ValidationError("Choose one of your own objectives.")
        about_text, competency = objective.what, None
    elif about == About.COMPETENCY:
        if competency is None or competency.framework.organisation_id != actor.organisation_id:
            raise ValidationError("Choose a competency of your organisation's frameworks.")
        about_text, objective = competency.name, None
    elif about == About.QUESTION:
        about_text = _text(question, limit=ABOUT_MAX, name="your question", required=True)
        objective = competency = None
    else:
        raise ValidationError("Choose what the feedback is about.")
    names = ("what they see you do well", "what you could do better", "one thing to try")
    if len(questions) != len(names):
        raise ValidationError("Ask the three questions.")
    well, better, to_try = (
        _text(q, limit=QUESTION_MAX, name=f"the question on {n}", required=True)
        for q, n in zip(questions, names, strict=True)
    )
    request = FeedbackRequest.objects.create(
        asker=actor,
        about=about,
        objective=objective,
        competency=competency,
        about_text=_text(about_text, limit=ABOUT_MAX, name="what it is about", required=True),
        question_well=well,
        question_better=better,
        question_try=to_try,
        due_on=due_on,
        created_at=now,
    )
    asks = FeedbackAsk.objects.bulk_create([FeedbackAsk(request=request, person=p) for p in unique])
    for ask, person in zip(asks, unique, strict=True):
        notify(
            person,
            Kind.FEEDBACK_REQUESTED,
            title=f"{actor.name} asks for your feedback",
            url=reverse("feedback:answer", args=[ask.code]),
            key=f"feedback-requested:{ask.pk}",
            subject=ask,
        )
    log.info("feedback.requested request=%s actor=%s asked=%s", request.pk, actor.pk, len(asks))
    return request


def _locked_ask(actor: Person, ask: FeedbackAsk) -> FeedbackAsk:
    require(ask.person_id == actor.pk)
    locked = FeedbackAsk.objects.select_for_update().get(pk=ask.pk)
    if locked.status != AskStatus.WAITING:
        raise ValidationError(
            ALREADY_ANSWERED
            if locked.status == AskStatus.ANSWERED
            else "You have declined this request."
        )
    return locked


@transaction.atomic
def answer(
    actor: Person,
    ask: FeedbackAsk,
    *,
    well: str,
    better: str = "",
    to_try: str = "",
    signed: bool,
) -> FeedbackAnswer:
    """The person asked answers, signed or not, once; an answer is final. The asker
    is told of a signed answer (naming its signer), and once when the unsigned
    answers first reach ``ANONYMITY_THRESHOLD`` — never of one unsigned answer."""
    locked = _locked_ask(actor, ask)
    well = _text(well, limit=ANSWER_MAX, name="what they do well", required=True)
    better = _text(better, limit=ANSWER_MAX, name="what they could do better")
    to_try = _text(to_try, limit=ANSWER_MAX, name="one thing to try")
    request = FeedbackRequest.objects.select_related("asker").get(pk=locked.request_id)
    # Serialise the answers of one request, so that the answer that reaches the
    # threshold is counted by exactly one transaction.
    FeedbackRequest.objects.select_for_update().filter(pk=request.pk).first()
    written = FeedbackAnswer.objects.create(
        ask=locked, request=request, well=well, better=better, to_try=to_try, signed=signed
    )
    locked.status = AskStatus.ANSWERED
    locked.save(update_fields=["status"])
    url = reverse("feedback:request", args=[request.code])
    if signed:
        notify(
            request.asker,
            Kind.FEEDBACK_READY,
            title=f"{actor.name} answered your feedback request",
            url=url,
            key=f"feedback-signed:{written.pk}",
            subject=request,
        )
    elif policy.unsigned_count(request) == ANONYMITY_THRESHOLD:
        notify(
            request.asker,
            Kind.FEEDBACK_READY,
            title="Unsigned answers to your feedback request can now be read",
            url=url,
            key=f"feedback-ready:{request.pk}",
            subject=request,
        )
    # The answer alone: a line naming the request and the author would date it.
    log.info("feedback.answered answer=%s", written.pk)
    return written


@transaction.atomic
def decline(actor: Person, ask: FeedbackAsk) -> None:
    """The person asked declines. The asker is not told: they never learn who
    declined."""
    locked = _locked_ask(actor, ask)
    locked.status = AskStatus.DECLINED
    locked.save(update_fields=["status"])
    log.info("feedback.declined ask=%s", locked.pk)


# --- giving unasked -----------------------------------------------------------------


@transaction.atomic
def give(
    actor: Person,
    receiver: Person,
    *,
    well: str,
    better: str = "",
    now: dt.datetime | None = None,
) -> GivenFeedback:
    """The actor gives a colleague feedback unasked: always signed, what they do well
    first (required), what could be better after (optional)."""
    if not policy.can_address(actor, receiver):
        raise ValidationError(NOT_A_COLLEAGUE)
    if not well.strip():
        raise ValidationError(STRENGTHS_FIRST)
    given = GivenFeedback.objects.create(
        giver=actor,
        receiver=receiver,
        well=_text(well, limit=ANSWER_MAX, name="what they do well", required=True),
        better=_text(better, limit=ANSWER_MAX, name="what could be better"),
        created_at=now or timezone.now(),
    )
    notify(
        receiver,
        Kind.FEEDBACK_GIVEN,
        title=f"{actor.name} gave you feedback",
        url=reverse("feedback:received", args=[given.code]),
        key=f"feedback-given:{given.pk}",
        subject=given,
    )
    log.info("feedback.given given=%s actor=%s receiver=%s", given.pk, actor.pk, receiver.pk)
    return given


@transaction.atomic
def keep(actor: Person, given: GivenFeedback, *, kept: bool) -> None:
    """The receiver keeps the feedback, or discards it: gone from their lists (and
    their sharees'), while the giver still sees only that it was delivered."""
    require(given.receiver_id == actor.pk and given.status != GivenStatus.DISCARDED)
    given.status = GivenStatus.KEPT if kept else GivenStatus.DISCARDED
    given.save(update_fields=["status"])
    log.info("feedback.%s given=%s", "kept" if kept else "discarded", given.pk)


# --- learning from it -----------------------------------------------------------------


@transaction.atomic
def add_takeaway(
    actor: Person,
    *,
    request: FeedbackRequest | None = None,
    given: GivenFeedback | None = None,
    text: str,
    objective: Objective | None = None,
    due_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Takeaway:
    """The asker writes what they take from a request's answers (or the receiver
    from feedback given to them), and optionally turns it into an action on one of
    their own objectives, through growth's service (who: themselves; by when:
    ``due_on``)."""
    if (request is None) == (given is None):
        raise ValueError("a takeaway is from one request or one piece of feedback")
    if request is not None:
        require(request.asker_id == actor.pk)
    if given is not None:
        require(given.receiver_id == actor.pk and given.status != GivenStatus.DISCARDED)
    text = _text(text, limit=TAKEAWAY_MAX, name="what you take from it", required=True)
    action = None
    if objective is not None:
        if objective.plan.owner_id != actor.pk:
            raise ValidationError("Choose one of your own objectives.")
        if due_on is None:
            raise ValidationError("Give the action a date it is due by.")
        action = growth.add_action(
            actor, objective, owner=actor, description=text[:300], due_on=due_on, now=now
        )
    takeaway = Takeaway.objects.create(
        owner=actor,
        request=request,
        given=given,
        text=text,
        action=action,
        created_at=now or timezone.now(),
    )
    log.info("feedback.takeaway takeaway=%s actor=%s", takeaway.pk, actor.pk)
    return takeaway


# --- sharing ------------------------------------------------------------------------


@transaction.atomic
def share(actor: Person, reader: Person) -> FeedbackShare:
    """The actor lets ``reader`` — one of their managers, their coach or mentor —
    read the feedback they received, until they take it back."""
    if not policy.can_share_with(actor, reader):
        raise ValidationError("Choose your manager, coach or mentor.")
    grant = FeedbackShare.objects.create(owner=actor, shared_with=reader)
    notify(
        reader,
        Kind.FEEDBACK_SHARED,
        title=f"{actor.name} shared the feedback they received with you",
        url=reverse("feedback:shared-person", args=[actor.code]),
        key=f"feedback-shared:{grant.pk}",
        subject=grant,
    )
    log.info("feedback.shared share=%s actor=%s reader=%s", grant.pk, actor.pk, reader.pk)
    return grant


@transaction.atomic
def unshare(actor: Person, grant: FeedbackShare) -> None:
    """The owner takes a share back; the reader loses access with this commit."""
    require(grant.owner_id == actor.pk)
    log.info("feedback.unshared share=%s actor=%s", grant.pk, actor.pk)
    grant.delete()


# --- whether a session helped ----------------------------------------------------------


@transaction.atomic
def say_if_session_helped(
    actor: Person, session: Session, *, helped: bool, why: str = ""
) -> SessionFeedback:
    """The person coached says whether a session that has ended helped, once. The
    giver only ever reads an aggregate; an answer that could change afterwards would
    move a published total by itself and tell the giver that someone changed their
    mind, so it is final."""
    require(policy.can_say_if_session_helped(actor, session))
    why = _text(why, limit=WHY_MAX, name="why")
    row, made = SessionFeedback.objects.get_or_create(
        session=session, person=actor, defaults={"helped": helped, "why": why}
    )
    if not made:
        raise ValidationError("You have already said whether this session helped.")
    log.info("feedback.session_helped row=%s", row.pk)
    return row
