"""Every free text a person writes in feedback is encrypted at rest: a plain SQL read
of every table holds none of it, while the product reads it back as written."""

from __future__ import annotations

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.feedback import services
from cairn.feedback.models import (
    FeedbackAnswer,
    FeedbackRequest,
    GivenFeedback,
    SessionFeedback,
    Takeaway,
)
from cairn.feedback.tests.factories import ask_of, due
from cairn.testing import Cast
from cairn.testing.stored import every_cell

CANARY = b"OSPREY"


def _bytes(value: str | bytes | memoryview) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


def test_a_plain_sql_read_shows_no_feedback_text(cast: Cast) -> None:
    request = services.ask_for_feedback(
        cast.report,
        people=[cast.peer],
        about="question",
        question="OSPREY question",
        questions=["OSPREY q1", "OSPREY q2", "OSPREY q3"],
        due_on=due(),
    )
    services.answer(
        cast.peer,
        ask_of(request, cast.peer),
        well="OSPREY well",
        better="OSPREY better",
        to_try="OSPREY try",
        signed=False,
    )
    given = services.give(cast.peer, cast.report, well="OSPREY given", better="OSPREY better2")
    services.add_takeaway(cast.report, given=given, text="OSPREY takeaway")
    session = make_session(
        make_engagement(cast.coach, cast.report, EngagementKind.COACHING), completed=True
    )
    services.say_if_session_helped(cast.report, session, helped=True, why="OSPREY why")

    leaks = [
        (table, value)
        for table, value in every_cell()
        if isinstance(value, str | bytes | memoryview) and CANARY in _bytes(value)
    ]
    assert leaks == []
    stored_request = FeedbackRequest.objects.get()
    assert (stored_request.about_text, stored_request.questions) == (
        "OSPREY question",
        ["OSPREY q1", "OSPREY q2", "OSPREY q3"],
    )
    stored_answer = FeedbackAnswer.objects.get()
    assert (stored_answer.well, stored_answer.better, stored_answer.to_try) == (
        "OSPREY well",
        "OSPREY better",
        "OSPREY try",
    )
    assert GivenFeedback.objects.get().well == "OSPREY given"
    assert Takeaway.objects.get().text == "OSPREY takeaway"
    assert SessionFeedback.objects.get().why == "OSPREY why"
