"""Feedback's part of the demo organisation: Ravi asked five colleagues about design
reviews — Tomasz answered signed, three answered unsigned (enough for them to show),
Marcus has not answered yet — and Imani gave Ravi feedback unasked.

Rows are written directly, as the other apps' demos do, so that building the demo
tells nobody anything (no notifications, no email)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from cairn.feedback.models import (
    DEFAULT_QUESTIONS,
    About,
    AskStatus,
    FeedbackAnswer,
    FeedbackAsk,
    FeedbackRequest,
    GivenFeedback,
)
from cairn.people.seeding import DemoContext

QUESTION = "How do I come across when I run design reviews?"
ANSWERS = {
    "tomasz": (
        True,
        "You prepare well and you make room for quieter people.",
        "Summarise the decision before the meeting ends.",
        "Send the summary in writing the same day.",
    ),
    "grace": (
        False,
        "You ask good questions instead of pushing your own design.",
        "You sometimes move on before people have finished thinking.",
        "Count to five before moving to the next point.",
    ),
    "imani": (
        False,
        "Clear diagrams; everyone knows what is being decided.",
        "",
        "Share the doc a day earlier.",
    ),
    "zara": (
        False,
        "Calm, even when the discussion gets heated.",
        "Say out loud who owns each follow-up.",
        "",
    ),
}


def seed(context: DemoContext) -> Counter[str]:
    people, now = context.people, context.now
    ravi = people["ravi"]
    request = FeedbackRequest.objects.create(
        asker=ravi,
        about=About.QUESTION,
        about_text=QUESTION,
        question_well=DEFAULT_QUESTIONS[0],
        question_better=DEFAULT_QUESTIONS[1],
        question_try=DEFAULT_QUESTIONS[2],
        due_on=(now + dt.timedelta(days=10)).date(),
        created_at=now - dt.timedelta(days=4),
    )
    asked = ["tomasz", "grace", "imani", "zara", "marcus"]
    asks = {
        username: FeedbackAsk.objects.create(
            request=request,
            person=people[username],
            status=AskStatus.ANSWERED if username in ANSWERS else AskStatus.WAITING,
        )
        for username in asked
    }
    for username, (signed, well, better, to_try) in ANSWERS.items():
        FeedbackAnswer.objects.create(
            ask=asks[username],
            request=request,
            well=well,
            better=better,
            to_try=to_try,
            signed=signed,
        )
    GivenFeedback.objects.create(
        giver=people["imani"],
        receiver=ravi,
        well="The way you walked the new joiners through the incident was generous.",
        better="Let them drive the next one; you can sit beside them.",
        created_at=now - dt.timedelta(days=2),
    )
    return Counter(
        {
            "feedback_requests": 1,
            "feedback_asks": len(asks),
            "feedback_answers": len(ANSWERS),
            "feedback_given": 1,
        }
    )
