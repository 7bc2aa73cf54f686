"""Coaching modes, and the reminder when a coach starts writing advice."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cairn.coaching import services as coaching
from cairn.coaching.agreements import terms_for
from cairn.coaching.models import Engagement, EngagementKind, Session
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.library.modes import Mode, looks_like_advice, mode_for
from cairn.testing import Cast, client_for, html

ADVICE = [
    "You should talk to your manager about it.",
    "I would start by writing down what you want.",
    "If I were you, I'd ask for the promotion now.",
    "Have you tried blocking time for deep work?",
    "My advice: say no to the extra project.",
    "Why don't you pair with Sam on the next incident?",
    "You need to set boundaries with the on-call rota.",
    "I suggest you take the course first.",
    "I recommend reading about situational leadership.",
    "Make sure you document the decision.",
    "Don't forget to ask for feedback after the talk.",
    "The best thing to do is to escalate early.",
    "In your shoes I would take the lead role.",
    "What I would do is talk to HR.",
    "I'd book a one-on-one with the director.",
    "Why not ask Priya to mentor you?",
    "How about asking the team first?",
    "You ought to delegate the release notes.",
    "you must stop working weekends",
    "YOU SHOULD APPLY FOR THE STAFF ROLE",
    "Have you thought about moving to the platform team?",
    "The trick is to start with the smallest step.",
    "Good session. You should really try the 5-minute journal.",
    "I\u2019d push back on that deadline.",  # a typographic apostrophe, as phones type it
    "You could just say no.",
]

NOT_ADVICE = [
    "What do you want to get out of today?",
    "What do you think you should do next?",
    "How would you know you need to stop?",
    "Which option gives you the most energy?",
    "She said I should apply for the lead role.",
    "Sam told me he would rather stay on the team.",
    "I would like to hear more about that next time.",
    "I'd be curious what your team thinks.",
    "We explored three options; Sam chose the second.",
    "Sam wants to lead the next incident review.",
    "Agreed: Sam talks to the director by Friday.",
    'Sam: "you should never work weekends" is what his old boss said.',
    "What would you do if you knew you could not fail?",
    "Who could help you with this?",
    "Noticed a lot of energy when talking about mentoring.",
    "How could you make sure you get the feedback you need?",
    "Where do you want to be in two years?",
    "I would love to know how it goes.",
    "What have you tried so far?",
    "He thinks he should delegate more.",
    "",
]


@pytest.mark.parametrize("text", ADVICE)
def test_advice_is_recognised(text: str) -> None:
    assert looks_like_advice(text) is True


@pytest.mark.parametrize("text", NOT_ADVICE)
def test_questions_and_records_are_not_advice(text: str) -> None:
    assert looks_like_advice(text) is False


def test_one_advising_sentence_in_a_longer_note_is_enough() -> None:
    note = "Great energy today. What do you want next? You should rest this weekend."
    assert looks_like_advice(note) is True
    assert looks_like_advice(note.rsplit(".", 2)[0] + ".") is False


@given(st.text(max_size=400))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    assert looks_like_advice(text) in (True, False)


@given(st.sampled_from(ADVICE + NOT_ADVICE), st.booleans())
def test_case_does_not_change_the_answer(text: str, upper: bool) -> None:
    assert looks_like_advice(text.upper() if upper else text.lower()) is looks_like_advice(text)


@pytest.mark.parametrize(
    ("kind", "mode"),
    [
        (EngagementKind.COACHING, Mode.COACHING),
        (EngagementKind.COMPETENCY_COACHING, Mode.COACHING),
        (EngagementKind.COUNSELING, Mode.ASK_FIRST),
        (EngagementKind.MENTORING, Mode.MENTORING),
    ],
)
def test_an_engagements_kind_sets_its_mode(cast: Cast, kind: str, mode: Mode) -> None:
    assert mode_for(make_engagement(cast.coach, cast.report, kind)) == mode
    assert mode_for(one_on_one(cast.manager, cast.report)) == Mode.ASK_FIRST


# --- the reminder endpoint, called by the note form as the coach types -----------------

REMINDER = "This reads like advice"


def check(person: object, session: object, body: str) -> object:
    return client_for(person).post(  # type: ignore[arg-type]
        reverse("library:advice-check", args=[session.code]),  # type: ignore[attr-defined]
        {"body": body},
        headers={"HX-Request": "true"},
    )


def test_coach_is_reminded_and_can_dismiss_it_for_the_session(cast: Cast) -> None:
    session = make_session(make_engagement(cast.coach, cast.report, EngagementKind.COACHING))
    client = client_for(cast.coach)
    url = reverse("library:advice-check", args=[session.code])
    response = client.post(
        url, {"body": "You should ask for the raise."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert REMINDER in response.content.decode()
    assert client.post(url, {"body": "What would you ask for?"}).content.decode().strip() == ""

    dismiss = reverse("library:advice-dismiss", args=[session.code])
    assert client.post(dismiss, headers={"HX-Request": "true"}).status_code == 200
    again = client.post(url, {"body": "You should ask for the raise."})
    assert REMINDER not in again.content.decode()
    # Without JavaScript the dismissal posts and goes back to the session's notes.
    later = make_session(make_engagement(cast.coach, cast.peer, EngagementKind.COACHING))
    response = client.post(reverse("library:advice-dismiss", args=[later.code]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/sessions/{later.code}/#notes")


def test_only_the_giver_is_reminded_under_questions_only_terms(cast: Cast) -> None:
    advice = "If I were you I'd take the job."
    coaching = make_session(make_engagement(cast.coach, cast.report, EngagementKind.COACHING))
    mentoring = make_session(make_engagement(cast.coach, cast.peer, EngagementKind.MENTORING))
    managing = make_session(one_on_one(cast.manager, cast.report))
    assert REMINDER in check(cast.coach, coaching, advice).content.decode()  # type: ignore[attr-defined]
    assert REMINDER not in check(cast.report, coaching, advice).content.decode()  # type: ignore[attr-defined]
    assert REMINDER not in check(cast.coach, mentoring, advice).content.decode()  # type: ignore[attr-defined]
    assert REMINDER not in check(cast.manager, managing, advice).content.decode()  # type: ignore[attr-defined]


def test_people_outside_the_session_get_404(cast: Cast) -> None:
    session = make_session(make_engagement(cast.coach, cast.report, EngagementKind.COACHING))
    for name, person in cast.everyone().items():
        if name in ("coach", "report"):
            continue
        assert check(person, session, "You should.").status_code == 404, name  # type: ignore[attr-defined]
        dismiss = reverse("library:advice-dismiss", args=[session.code])
        assert client_for(person).post(dismiss).status_code == 404, name


# --- the advice term of the agreement in force decides -------------------------------

ADVICE_NOTE = "If I were you I'd take the job."


def amend(engagement: Engagement, *, advice: bool, accept: bool = True) -> None:
    """The receiver proposes the agreement in force with ``advice`` changed."""
    version = coaching.propose_amendment(
        engagement.receiver,
        engagement,
        dataclasses.replace(coaching.current_terms(engagement), advice=advice),
    )
    if accept:
        coaching.accept_agreement(engagement.giver, version)


def reminded(cast: Cast, session: Session) -> bool:
    response = check(cast.coach, session, ADVICE_NOTE)
    assert response.status_code == 200  # type: ignore[attr-defined]
    page = client_for(cast.coach).get(reverse("coaching:session", args=[session.code]))
    on_page = 'id="advice-reminder"' in html(page)
    answered = REMINDER in response.content.decode()  # type: ignore[attr-defined]
    assert on_page == answered
    return answered


@pytest.mark.parametrize(
    "kind",
    [
        EngagementKind.COACHING,
        EngagementKind.COMPETENCY_COACHING,
        EngagementKind.MENTORING,
        EngagementKind.COUNSELING,
    ],
)
@pytest.mark.parametrize("advice", [True, False])
def test_the_advice_term_in_force_decides_the_reminder(cast: Cast, kind: str, advice: bool) -> None:
    engagement = make_engagement(cast.coach, cast.report, kind)
    if terms_for(kind).advice != advice:
        amend(engagement, advice=advice)
    assert reminded(cast, make_session(engagement)) is (not advice)


def test_competency_coaching_that_welcomes_advice_is_not_reminded(cast: Cast) -> None:
    # The case: the built-in competency-coaching terms say "advice: welcome".
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COMPETENCY_COACHING)
    assert engagement.agreement_versions.accepted().get().advice is True
    assert reminded(cast, make_session(engagement)) is False


def test_a_waiting_amendment_changes_nothing_until_it_is_accepted(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    session = make_session(engagement)
    amend(engagement, advice=True, accept=False)
    assert reminded(cast, session) is True
    coaching.accept_agreement(cast.coach, engagement.agreement_versions.pending().get())
    assert reminded(cast, session) is False
    # And a later version can take the welcome back.
    amend(engagement, advice=False)
    assert reminded(cast, session) is True
