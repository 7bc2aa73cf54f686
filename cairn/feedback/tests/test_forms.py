"""Bad input on every feedback form: a clear message, 422, nothing saved half-way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.feedback.models import (
    FeedbackAnswer,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackShare,
    GivenFeedback,
    SessionFeedback,
    Takeaway,
)
from cairn.feedback.services import MAX_ASKED
from cairn.feedback.tests.factories import ask, ask_of
from cairn.feedback.tests.test_views import ask_data
from cairn.growth.models import PlanAction
from cairn.notifications.models import Notification
from cairn.testing import Cast, client_for, count_queries, html, make_person

LONG = "x" * 3000


def swapped(data: dict[str, object], swap: dict[str, str]) -> dict[str, object]:
    """The posted data with placeholders (say "SELF") replaced by real codes."""
    out: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, list):
            out[key] = [swap.get(str(x), str(x)) for x in value]
        else:
            out[key] = swap.get(str(value), value)
    return out


def nothing_saved() -> tuple[int, ...]:
    return (
        FeedbackRequest.objects.count(),
        FeedbackAsk.objects.count(),
        FeedbackAnswer.objects.count(),
        GivenFeedback.objects.count(),
        Takeaway.objects.count(),
        FeedbackShare.objects.count(),
        PlanAction.objects.count(),
        SessionFeedback.objects.count(),
        Notification.objects.count(),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"people": []}, "Choose at least one person to ask."),
        ({"people": ["not-a-code"]}, "Choose people from your organisation, other than yourself."),
        ({"people": ["OUTSIDER"]}, "Choose people from your organisation, other than yourself."),
        ({"people": ["SELF"]}, "Choose people from your organisation, other than yourself."),
        ({"about": "gossip"}, "Choose what the feedback is about."),
        ({"about": "objective"}, "Choose one of your own objectives."),
        (
            {"about": "objective", "objective": "PEER_OBJECTIVE"},
            "Choose one of your own objectives.",
        ),
        ({"about": "competency"}, "Choose a competency."),
        ({"question": "  "}, "Write your question."),
        ({"question": LONG}, "Keep it to 300 characters or fewer."),
        ({"question_well": ""}, "Ask what you do well first."),
        ({"question_better": LONG}, "Keep it to 300 characters or fewer."),
        ({"due_on": ""}, "Give a date the answers are due by."),
        ({"due_on": "next week"}, "Enter the date as YYYY-MM-DD"),
        ({"due_on": "TODAY"}, "Choose a due date after today."),
        ({"due_on": "9999-01-01"}, "Choose a date between 2000 and 2100."),
        ({"due_on": "2099-01-01"}, "Choose a due date within a year."),
    ],
)
def test_asking_with_bad_input(cast: Cast, changes: dict[str, object], message: str) -> None:
    from cairn.growth import services as growth

    peer_objective = growth.add_objective(cast.peer, what="Theirs")
    swap = {
        "OUTSIDER": str(cast.outsider.code),
        "SELF": str(cast.report.code),
        "PEER_OBJECTIVE": str(peer_objective.code),
        "TODAY": timezone.localdate().isoformat(),
    }
    fixed = swapped(changes, swap)
    before = nothing_saved()
    response = client_for(cast.report).post(reverse("feedback:ask"), ask_data(cast, **fixed))
    assert response.status_code == 422
    assert message in html(response)
    assert nothing_saved() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"well": "", "better": "Only the weak side", "signed": "signed"},
            "Start with what they do well",
        ),
        ({"well": LONG, "signed": "signed"}, "Keep it to 2000 characters or fewer."),
        ({"well": "Calm"}, "Choose whether to sign your answer."),
        ({"well": "Calm", "signed": "maybe"}, "Choose whether to sign your answer."),
    ],
)
def test_answering_with_bad_input(cast: Cast, data: dict[str, str], message: str) -> None:
    request = ask(cast.report, [cast.peer])
    before = nothing_saved()
    response = client_for(cast.peer).post(
        reverse("feedback:answer", args=[ask_of(request, cast.peer).code]), data
    )
    assert response.status_code == 422
    assert message in html(response)
    assert nothing_saved() == before
    assert ask_of(request, cast.peer).status == "waiting"


def test_answering_a_declined_request_is_refused(cast: Cast) -> None:
    from cairn.feedback import services

    request = ask(cast.report, [cast.peer])
    services.decline(cast.peer, ask_of(request, cast.peer))
    before = nothing_saved()
    response = client_for(cast.peer).post(
        reverse("feedback:answer", args=[ask_of(request, cast.peer).code]),
        {"well": "Calm", "signed": "signed"},
    )
    assert response.status_code == 422
    assert "You have declined this request." in html(response)
    assert nothing_saved() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"person": "RECEIVER", "well": "", "better": "Weak side only"},
            "Start with what they do well",
        ),
        ({"person": "RECEIVER", "well": LONG}, "Keep it to 2000 characters or fewer."),
        ({"well": "Good"}, "Choose whom you give feedback to."),
        ({"person": "SELF", "well": "Good"}, "Choose one person from your organisation"),
        ({"person": "OUTSIDER", "well": "Good"}, "Choose one person from your organisation"),
        ({"person": "garbage", "well": "Good"}, "Choose one person from your organisation"),
        (
            {"person": ["RECEIVER", "OTHER"], "well": "Good"},
            "Choose one person from your organisation",
        ),
    ],
)
def test_giving_with_bad_input(cast: Cast, data: dict[str, object], message: str) -> None:
    swap = {
        "RECEIVER": str(cast.report.code),
        "OTHER": str(cast.manager.code),
        "SELF": str(cast.peer.code),
        "OUTSIDER": str(cast.outsider.code),
    }
    fixed = swapped(data, swap)
    before = nothing_saved()
    response = client_for(cast.peer).post(reverse("feedback:give"), fixed)
    assert response.status_code == 422
    assert message in html(response)
    assert nothing_saved() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Write what you take from it."),
        ({"text": "x" * 1001}, "Keep it to 1000 characters or fewer."),
        (
            {"text": "Ok", "objective": "not-a-code", "due_on": "2030-01-01"},
            "Choose one of your own objectives.",
        ),
        ({"text": "Ok", "objective": "MINE"}, "Give the action a date it is due by."),
        (
            {"text": "Ok", "objective": "MINE", "due_on": "31/12/2030"},
            "Enter the date as YYYY-MM-DD",
        ),
    ],
)
def test_takeaways_with_bad_input(cast: Cast, data: dict[str, str], message: str) -> None:
    from cairn.growth import services as growth

    mine = growth.add_objective(cast.report, what="Mine")
    data = {k: (str(mine.code) if v == "MINE" else v) for k, v in data.items()}
    request = ask(cast.report, [cast.peer])
    before = nothing_saved()
    response = client_for(cast.report).post(
        reverse("feedback:request-takeaway", args=[request.code]), data
    )
    assert response.status_code == 422
    assert message in html(response)
    assert nothing_saved() == before


@pytest.mark.parametrize(
    ("person", "message"),
    [
        ("", "Choose your manager, coach or mentor."),
        ("PEER", "Choose your manager, coach or mentor."),
        ("OUTSIDER", "Choose your manager, coach or mentor."),
        ("SELF", "Choose your manager, coach or mentor."),
        ("garbage", "Choose your manager, coach or mentor."),
    ],
)
def test_sharing_with_bad_input(cast: Cast, person: str, message: str) -> None:
    code = {
        "PEER": str(cast.peer.code),
        "OUTSIDER": str(cast.outsider.code),
        "SELF": str(cast.report.code),
    }.get(person, person)
    before = nothing_saved()
    response = client_for(cast.report).post(reverse("feedback:shares"), {"person": code})
    assert response.status_code == 422
    assert message in html(response)
    assert nothing_saved() == before


def test_the_due_date_is_checked_in_the_recipients_day(cast: Cast) -> None:
    # A date one year and one day ahead is refused, one year ahead is accepted.
    limit = timezone.localdate() + dt.timedelta(days=366)
    client = client_for(cast.report)
    late = client.post(
        reverse("feedback:ask"), ask_data(cast, due_on=(limit + dt.timedelta(days=1)).isoformat())
    )
    assert late.status_code == 422
    assert (
        client.post(reverse("feedback:ask"), ask_data(cast, due_on=limit.isoformat())).status_code
        == 302
    )


def test_keeping_with_neither_choice_changes_nothing(cast: Cast) -> None:
    from cairn.feedback import services

    given = services.give(cast.peer, cast.report, well="Good")
    response = client_for(cast.report).post(
        reverse("feedback:received-keep", args=[given.code]), {"keep": "maybe", "confirmed": "yes"}
    )
    assert response.status_code == 422
    assert "Choose to keep it or to discard it." in html(response)
    given.refresh_from_db()
    assert given.status == "delivered"


def test_asking_too_many_people_is_refused_without_a_look_up_per_code(cast: Cast) -> None:
    people = [str(make_person(cast.org, f"Colleague {n}").code) for n in range(MAX_ASKED + 1)]
    client = client_for(cast.report)
    url = reverse("feedback:ask")
    client.get(url)
    before = nothing_saved()

    def post(codes: list[str]) -> None:
        response = client.post(url, ask_data(cast, people=codes))
        assert response.status_code == 422
        assert f"Ask at most {MAX_ASKED} people at once." in html(response)

    few = count_queries(lambda: post(people))
    many = count_queries(lambda: post(people + [f"{n:032x}" for n in range(500)]))
    assert few == many
    assert nothing_saved() == before
