"""Upward feedback on coaching: after a session has ended, the person coached says in
one click whether it helped; the coach sees only a total over at least five answers
from at least three people, never one answer."""

from __future__ import annotations

from django.urls import reverse

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.feedback import services
from cairn.feedback.models import SessionFeedback
from cairn.testing import Cast, client_for, html, make_person

WHY = "fb-canary why: the questions opened something up"


def test_the_person_coached_says_it_helped_from_the_session_page(cast: Cast) -> None:
    session = make_session(
        make_engagement(cast.coach, cast.report, EngagementKind.COACHING), completed=True
    )
    client = client_for(cast.report)
    page = html(client.get(reverse("coaching:session", args=[session.code])))
    assert "Did this session help?" in page
    response = client.post(
        reverse("feedback:session-helped", args=[session.code]), {"helped": "yes", "why": WHY}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:session", args=[session.code])
    row = SessionFeedback.objects.get()
    assert (row.person, row.helped, row.why) == (cast.report, True, WHY)
    # The answer is final: a change of mind would move a published total by itself.
    again = client.post(
        reverse("feedback:session-helped", args=[session.code]), {"helped": "no"}, follow=True
    )
    assert "You have already said whether this session helped." in html(again)
    assert SessionFeedback.objects.get().helped is True
    page = html(client.get(reverse("coaching:session", args=[session.code])))
    assert "You said it helped" in page
    assert 'name="helped"' not in page


def test_the_coach_sees_no_single_answer(cast: Cast) -> None:
    session = make_session(
        make_engagement(cast.coach, cast.report, EngagementKind.COACHING), completed=True
    )
    services.say_if_session_helped(cast.report, session, helped=False, why=WHY)
    coach = client_for(cast.coach)
    for url in (reverse("coaching:session", args=[session.code]), reverse("feedback:home")):
        page = html(coach.get(url))
        assert WHY not in page
        assert "Did this session help?" not in page
        assert "said a session helped" not in page


def test_not_before_the_session_has_ended_nor_by_the_giver_nor_in_counseling(cast: Cast) -> None:
    coaching = make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    ahead = make_session(coaching)
    ended = make_session(coaching, completed=True)
    counseling = make_session(
        make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING), completed=True
    )
    cases = [
        (cast.report, ahead),
        (cast.coach, ended),
        (cast.report, counseling),
        (cast.manager, ended),
    ]
    for person, session in cases:
        response = client_for(person).post(
            reverse("feedback:session-helped", args=[session.code]), {"helped": "yes"}
        )
        assert response.status_code == 404
    assert "Did this session help?" not in html(
        client_for(cast.report).get(reverse("coaching:session", args=[ahead.code]))
    )
    assert not SessionFeedback.objects.exists()


def test_bad_input_saves_nothing(cast: Cast) -> None:
    session = make_session(
        make_engagement(cast.coach, cast.report, EngagementKind.COACHING), completed=True
    )
    client = client_for(cast.report)
    for data, message in [
        ({}, "Say whether it helped."),
        ({"helped": "perhaps"}, "Say whether it helped."),
        ({"helped": "yes", "why": "x" * 501}, "Keep it to 500 characters or fewer."),
    ]:
        response = client.post(reverse("feedback:session-helped", args=[session.code]), data)
        assert response.status_code == 422
        assert message in html(response)
    assert not SessionFeedback.objects.exists()


def test_the_total_shows_from_five_answers_by_three_people(cast: Cast) -> None:
    people = [cast.report, cast.peer, make_person(cast.org, "Third Coachee")]
    engagements = {p: make_engagement(cast.coach, p, EngagementKind.COACHING) for p in people}
    sessions = {
        p: [make_session(e, completed=True) for _ in range(2)] for p, e in engagements.items()
    }
    home = reverse("feedback:home")
    coach = client_for(cast.coach)
    # Four answers from two people: nothing.
    for person in people[:2]:
        for session in sessions[person]:
            services.say_if_session_helped(person, session, helped=True)
    assert "said a session helped" not in html(coach.get(home))
    # The fifth answer comes from a third person: now the total shows.
    services.say_if_session_helped(people[2], sessions[people[2]][0], helped=False)
    page = html(coach.get(home))
    assert "4 of 5 answers (80%) said a session helped" in page
    # A one-on-one's report says it of their manager's sessions too (upward feedback).
    one = make_session(one_on_one(cast.manager, cast.report), completed=True)
    assert "Did this session help?" in html(
        client_for(cast.report).get(reverse("coaching:session", args=[one.code]))
    )
