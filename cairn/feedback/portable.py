"""A person's feedback, as portable data (docs/export-format.md).

What the person asked for, received, wrote and gave — under the anonymity rules:

* ``feedback_requests``: what they asked, whom (names), the signed answers with
  their signers' names and, only once at least three unsigned answers exist, the
  unsigned ones — without author or time, in the random order of their key — and
  their takeaways. Never who answered or declined.
* ``feedback_answers_written``: what they answered others, signed or not, with the
  asker's name and the questions — never anybody else's answers to that request.
* ``feedback_given`` and ``feedback_received``: feedback given unasked, by them
  (never whether it was kept) and to them (what they have not discarded).
* ``session_feedback``: whether sessions they were coached in helped, as they said.

Nothing here is imported back (feedback is about other people's words, which the
importing instance cannot vouch for); the export app keeps these sections verbatim.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from cairn.feedback.models import (
    FeedbackAnswer,
    FeedbackAsk,
    FeedbackRequest,
    GivenFeedback,
    GivenStatus,
    SessionFeedback,
    Takeaway,
)
from cairn.feedback.policy import signer_name
from cairn.lib.exporting import iso_utc
from cairn.people.models import Person

Item = dict[str, Any]


def _day(value: dt.date) -> str:
    return value.isoformat()


def _signer(row: FeedbackAnswer) -> str | None:
    return signer_name(row) if row.signed else None


def _answer(row: FeedbackAnswer) -> Item:
    return {
        "from": _signer(row),
        "signed": row.signed,
        "well": row.well,
        "better": row.better,
        "to_try": row.to_try,
    }


def export_sections(person: Person) -> dict[str, list[Item]]:
    requests = list(FeedbackRequest.objects.filter(asker=person).order_by("created_at", "id"))
    # Whom each request asked, by name: one query whether there are requests or not,
    # so that the export's cost is the same for everyone.
    asked: dict[int, list[str]] = defaultdict(list)
    for request_id, name in (
        FeedbackAsk.objects.filter(request__asker=person, person__isnull=False)
        .order_by("person__name", "pk")
        .values_list("request_id", "person__name")
    ):
        asked[request_id].append(name)
    answers: dict[int, list[FeedbackAnswer]] = defaultdict(list)
    for row in (
        FeedbackAnswer.objects.for_readers(person)
        .filter(request__asker=person)
        .select_related("ask__person")
        .in_showing_order()
    ):
        answers[row.request_id].append(row)
    takeaways: dict[tuple[str, int], list[Item]] = defaultdict(list)
    for takeaway in Takeaway.objects.visible_to(person).order_by("created_at", "id"):
        key = (
            ("request", takeaway.request_id)
            if takeaway.request_id
            else ("given", takeaway.given_id)
        )
        takeaways[key].append(  # type: ignore[index]
            {"text": takeaway.text, "created_at": iso_utc(takeaway.created_at)}
        )
    written = (
        FeedbackAnswer.objects.filter(ask__person=person)
        .select_related("request__asker")
        .order_by("request__created_at", "request_id")
    )
    given = GivenFeedback.objects.filter(giver=person).select_related("receiver")
    received = GivenFeedback.objects.received_by(person).select_related("giver")
    sessions = (
        SessionFeedback.objects.visible_to(person)
        .select_related("session__engagement__giver")
        .order_by("session__scheduled_for", "id")
    )
    return {
        "feedback_requests": [
            {
                "about": r.about,
                "about_text": r.about_text,
                "questions": r.questions,
                "due_on": _day(r.due_on),
                "created_at": iso_utc(r.created_at),
                "asked": asked[r.pk],
                "answers": [_answer(a) for a in answers[r.pk]],
                "takeaways": takeaways[("request", r.pk)],
            }
            for r in requests
        ],
        "feedback_answers_written": [
            {
                "asked_by": a.request.asker.name,
                "about_text": a.request.about_text,
                "questions": a.request.questions,
                "signed": a.signed,
                "well": a.well,
                "better": a.better,
                "to_try": a.to_try,
            }
            for a in written
        ],
        "feedback_given": [
            {
                "to": g.receiver.name,
                "well": g.well,
                "better": g.better,
                "created_at": iso_utc(g.created_at),
            }
            for g in reversed(list(given))
        ],
        "feedback_received": [
            {
                "from": g.giver.name,
                "well": g.well,
                "better": g.better,
                "kept": g.status == GivenStatus.KEPT,
                "created_at": iso_utc(g.created_at),
                "takeaways": takeaways[("given", g.pk)],
            }
            for g in reversed(list(received))
        ],
        "session_feedback": [
            {
                "with": s.session.engagement.giver.name,
                "session_at": iso_utc(s.session.scheduled_for),
                "helped": s.helped,
                "why": s.why,
            }
            for s in sessions
        ],
    }
