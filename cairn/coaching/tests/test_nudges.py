"""The gentle nudge when a one-on-one agenda point reads like a project status report."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.coaching.nudges import looks_like_status_report

STATUS_LIKE = [
    "JIRA-123 is 80% done",
    "Status of the payments migration",
    "Sprint progress and blockers",
    "PR #412 merged, deploy on Friday",
    "What is the status of the search rewrite?",
    "Progress on OPS-77",
    "progress on ops-77",
    "Where are we on the Q3 roadmap milestones?",
    "Ticket backlog for the sprint",
    "Release date slipped: deploy blocked on QA",
    "Update on the billing rollout",
    "ETA for the API launch",
    "Is the release on track?",
    "Velocity dropped this sprint",
    "Deadlines for the deliverables",
    "We are 80% done with the migration",
    "#1234 needs a review before the release",
]

PERSONAL = [
    "How I feel about the reorg",
    "My career goals for next year",
    "Feedback on my talk",
    "What gives you energy?",
    "Dreams: leading a team one day",
    "Worried about burn-out after the release",
    "I want to learn Rust",
    "How can I grow into a staff role?",
    "Things I am proud of this quarter",
    "Am I ready to lead the next launch?",
    "I am exhausted after the deadline crunch",
    "Is my workload sustainable with the release deadline?",
    "Time off after the release and the migration",
    "My #1 priority this year",
    "I spend 50% of my time in meetings",
    "100% behind the new team lead",
    "Back at work after COVID-19",
    "Where do I see myself by mid-2027?",
    "Reaching level-3 on the ladder",
    "My visa status",
    "Balance between on-call and life",
    "",
]


@pytest.mark.parametrize("text", STATUS_LIKE)
def test_status_like_point_is_nudged(text: str) -> None:
    assert looks_like_status_report(text) is True


@pytest.mark.parametrize("text", PERSONAL)
def test_personal_point_is_not_nudged(text: str) -> None:
    assert looks_like_status_report(text) is False


def test_a_single_delivery_word_is_not_enough() -> None:
    assert looks_like_status_report("How did the release go for you?") is False
    assert looks_like_status_report("How did the release go, and is the deploy done?") is True


@given(st.text(max_size=400))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    assert looks_like_status_report(text) in (True, False)


_VOCABULARY = [
    *STATUS_LIKE,
    *PERSONAL,
    "status",
    "ops-77",
    "pr 12",
    "#99",
    "80 %",
    "sprint",
    "deploy",
    "blocked",
    "career",
    "feel",
    "the",
    "and",
    "my",
    "team",
    "ſtatus",
    "deadlıne",
]


@given(
    words=st.lists(st.sampled_from(_VOCABULARY), max_size=8),
    noise=st.text(max_size=40),
    flips=st.lists(st.booleans(), min_size=1, max_size=50),
)
def test_case_does_not_change_the_answer(words: list[str], noise: str, flips: list[bool]) -> None:
    text = " ".join(words) + noise
    mixed = "".join(
        ch.upper() if flips[i % len(flips)] else ch.lower() for i, ch in enumerate(text)
    )
    expected = looks_like_status_report(text)
    assert looks_like_status_report(text.upper()) is expected
    assert looks_like_status_report(text.lower()) is expected
    assert looks_like_status_report(mixed) is expected
