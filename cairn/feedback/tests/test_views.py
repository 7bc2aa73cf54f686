"""Asking, answering, declining, giving, keeping, taking away and sharing, through
the pages as a person uses them — without JavaScript (post, redirect) and with htmx."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement
from cairn.feedback import services
from cairn.feedback.models import (
    About,
    AskStatus,
    FeedbackAnswer,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackShare,
    GivenFeedback,
    GivenStatus,
    Takeaway,
)
from cairn.feedback.tests.factories import GIVEN_WELL, ask, ask_of, due
from cairn.growth import services as growth
from cairn.growth.models import PlanAction
from cairn.notifications.models import Kind, Notification
from cairn.testing import Cast, client_for, html, htmx, make_person
from cairn.trust.models import AccessRecord
from cairn.trust.models import Kind as ReadKind


def ask_data(cast: Cast, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "people": [str(cast.peer.code), str(cast.manager.code)],
        "about": About.QUESTION,
        "question": "How do I run design reviews?",
        "question_well": "What am I doing well?",
        "question_better": "What could I do better?",
        "question_try": "One thing to try",
        "due_on": due().isoformat(),
    }
    data.update(changes)
    return data


def test_the_ask_page_lists_the_people_i_work_with_first(cast: Cast) -> None:
    make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    page = html(client_for(cast.report).get(reverse("feedback:ask")))
    for person in (cast.manager, cast.coach):
        assert person.name in page
    # Not the whole organisation: the admin, HR and the peer are found by search.
    for person in (cast.admin, cast.hr, cast.peer, cast.outsider):
        assert person.name not in page


def test_searching_finds_people_by_name_on_the_server(cast: Cast) -> None:
    client = client_for(cast.report)
    response = htmx(client).get(reverse("feedback:ask"), {"q": "Harper"})
    assert response.status_code == 200
    assert cast.hr.name in html(response)
    assert "<html" not in html(response)  # the picker alone
    assert "two letters" in html(htmx(client).get(reverse("feedback:ask"), {"q": "H"}))
    # Someone of another organisation is never found.
    assert cast.outsider.name not in html(htmx(client).get(reverse("feedback:ask"), {"q": "Olga"}))
    # Without JavaScript the Find button posts the form, which comes back as typed.
    response = client.post(
        reverse("feedback:ask"),
        ask_data(cast, search="1", q="Harper", people=[str(cast.peer.code)], question="Typed"),
    )
    assert response.status_code == 200
    page = html(response)
    assert cast.hr.name in page
    assert f'value="{cast.peer.code}" checked' in page
    assert "Typed" in page
    assert not FeedbackRequest.objects.exists()


def test_a_search_lists_at_most_ten(cast: Cast) -> None:
    for i in range(12):
        make_person(cast.org, f"Zed Many {i:02d}")
    page = html(htmx(client_for(cast.report)).get(reverse("feedback:ask"), {"q": "Zed Many"}))
    assert page.count("Zed Many") == 10 + 1  # ten people, and the "more" line
    assert "type more of the name" in page


def test_asking_tells_each_person_asked(cast: Cast) -> None:
    client = client_for(cast.report)
    response = client.post(reverse("feedback:ask"), ask_data(cast))
    request = FeedbackRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:request", args=[request.code])
    assert set(request.asks.values_list("person", flat=True)) == {cast.peer.pk, cast.manager.pk}
    told = Notification.objects.filter(kind=Kind.FEEDBACK_REQUESTED)
    assert {n.recipient_id for n in told} == {cast.peer.pk, cast.manager.pk}
    for notification in told:
        assert notification.title == f"{cast.report.name} asks for your feedback"
        assert "design reviews" not in notification.title
    # The link opens the answer page for the person told.
    peer_note = told.get(recipient=cast.peer)
    assert client_for(cast.peer).get(peer_note.url).status_code == 200


def test_asking_about_my_objective_shows_it_side_by_side(cast: Cast) -> None:
    objective = growth.add_objective(
        cast.report, what="Lead design reviews", why="Why: to grow", measure="Measure: 3 reviews"
    )
    client = client_for(cast.report)
    response = client.post(
        reverse("feedback:ask"),
        ask_data(cast, about=About.OBJECTIVE, objective=str(objective.code)),
    )
    assert response.status_code == 302
    request = FeedbackRequest.objects.get()
    page = html(client.get(reverse("feedback:request", args=[request.code])))
    for text in ("Lead design reviews", "Why: to grow", "Measure: 3 reviews"):
        assert text in page
    # The person asked reads what it is about, not the objective's why.
    answer_page = html(
        client_for(cast.peer).get(
            reverse("feedback:answer", args=[ask_of(request, cast.peer).code])
        )
    )
    assert "Lead design reviews" in answer_page
    assert "Why: to grow" not in answer_page


def test_answering_signed_and_the_answer_is_final(cast: Cast) -> None:
    request = ask(cast.report, [cast.peer])
    peer_ask = ask_of(request, cast.peer)
    client = client_for(cast.peer)
    url = reverse("feedback:answer", args=[peer_ask.code])
    response = client.post(url, {"well": "Calm", "better": "", "to_try": "", "signed": "signed"})
    assert response.status_code == 302
    peer_ask.refresh_from_db()
    assert peer_ask.status == AskStatus.ANSWERED
    page = html(client.get(url))
    assert "Your answer, signed" in page
    assert "<textarea" not in page
    again = client.post(url, {"well": "Again", "signed": "unsigned"})
    assert again.status_code == 422
    assert "already answered" in html(again)
    assert FeedbackAnswer.objects.get().well == "Calm"


def test_declining_asks_first_without_javascript(cast: Cast) -> None:
    request = ask(cast.report, [cast.peer])
    peer_ask = ask_of(request, cast.peer)
    client = client_for(cast.peer)
    url = reverse("feedback:decline", args=[peer_ask.code])
    response = client.post(url)
    assert response.status_code == 200
    assert response["X-Cairn-Confirm"] == "ask"
    assert f"Decline {cast.report.name}" in html(response)
    peer_ask.refresh_from_db()
    assert peer_ask.status == AskStatus.WAITING
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    peer_ask.refresh_from_db()
    assert peer_ask.status == AskStatus.DECLINED
    # The asker is not told, and cannot tell from their page.
    assert not Notification.objects.filter(recipient=cast.report).exists()
    page = html(client_for(cast.report).get(reverse("feedback:request", args=[request.code])))
    assert "declined" not in page.lower()


def test_giving_feedback_unasked_is_signed_and_kept_or_discarded(cast: Cast) -> None:
    client = client_for(cast.peer)
    response = client.post(
        reverse("feedback:give"),
        {"person": str(cast.report.code), "well": GIVEN_WELL, "better": ""},
    )
    assert response.status_code == 302
    given = GivenFeedback.objects.get()
    assert (given.giver, given.receiver, given.status) == (
        cast.peer,
        cast.report,
        GivenStatus.DELIVERED,
    )
    note = Notification.objects.get(recipient=cast.report, kind=Kind.FEEDBACK_GIVEN)
    assert note.title == f"{cast.peer.name} gave you feedback"
    receiver = client_for(cast.report)
    page = html(receiver.get(note.url))
    assert GIVEN_WELL in page
    assert cast.peer.name in page
    # Discarding asks first, then it is gone from the receiver's lists.
    url = reverse("feedback:received-keep", args=[given.code])
    assert receiver.post(url, {"keep": "no"})["X-Cairn-Confirm"] == "ask"
    given.refresh_from_db()
    assert given.status == GivenStatus.DELIVERED
    assert receiver.post(url, {"keep": "no", "confirmed": "yes"}).status_code == 302
    given.refresh_from_db()
    assert given.status == GivenStatus.DISCARDED
    assert GIVEN_WELL not in html(receiver.get(reverse("feedback:home")))
    assert receiver.get(reverse("feedback:received", args=[given.code])).status_code == 404
    # The giver sees only that it was delivered.
    giver_home = html(client.get(reverse("feedback:home")))
    assert "delivered" in giver_home
    assert "discarded" not in giver_home.lower()


def test_keeping_needs_no_confirmation(cast: Cast) -> None:
    given = services.give(cast.peer, cast.report, well=GIVEN_WELL)
    response = client_for(cast.report).post(
        reverse("feedback:received-keep", args=[given.code]), {"keep": "yes"}
    )
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.status == GivenStatus.KEPT


def test_a_takeaway_becomes_an_action_on_my_plan(cast: Cast) -> None:
    objective = growth.add_objective(cast.report, what="Lead design reviews")
    request = ask(cast.report, [cast.peer])
    client = client_for(cast.report)
    url = reverse("feedback:request-takeaway", args=[request.code])
    when = timezone.localdate() + dt.timedelta(days=7)
    response = htmx(client).post(
        url,
        {
            "text": "Share drafts sooner",
            "objective": str(objective.code),
            "due_on": when.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Share drafts sooner" in html(response)
    action = PlanAction.objects.get()
    assert (action.objective, action.owner, action.description, action.due_on) == (
        objective,
        cast.report,
        "Share drafts sooner",
        when,
    )
    assert Takeaway.objects.get().action == action


def test_a_takeaway_cannot_go_to_someone_elses_objective(cast: Cast) -> None:
    theirs = growth.add_objective(cast.peer, what="Peer objective")
    request = ask(cast.report, [cast.peer])
    response = client_for(cast.report).post(
        reverse("feedback:request-takeaway", args=[request.code]),
        {"text": "x", "objective": str(theirs.code), "due_on": due().isoformat()},
    )
    assert response.status_code == 422
    assert "Choose one of your own objectives." in html(response)
    assert not Takeaway.objects.exists()
    assert not PlanAction.objects.exists()


def test_sharing_with_my_manager_or_coach_and_taking_it_back(cast: Cast) -> None:
    make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    client = client_for(cast.report)
    page = html(client.get(reverse("feedback:shares")))
    for person in (cast.manager, cast.director, cast.coach):
        assert person.name in page
    for person in (cast.peer, cast.admin, cast.hr):
        assert person.name not in page
    response = client.post(reverse("feedback:shares"), {"person": str(cast.coach.code)})
    assert response.status_code == 302
    grant = FeedbackShare.objects.get()
    assert grant.shared_with == cast.coach
    assert Notification.objects.filter(recipient=cast.coach, kind=Kind.FEEDBACK_SHARED).exists()
    # The coach reads it, and the read is in the report's access log.
    coach = client_for(cast.coach)
    assert coach.get(reverse("feedback:shared-person", args=[cast.report.code])).status_code == 200
    record = AccessRecord.objects.get(owner=cast.report)
    assert (record.reader, record.kind) == (cast.coach, ReadKind.FEEDBACK)
    # A request's own page, read by the coach, is recorded too.
    request = ask(cast.report, [cast.peer])
    assert coach.get(reverse("feedback:request", args=[request.code])).status_code == 200
    assert AccessRecord.objects.filter(owner=cast.report, reader=cast.coach).count() == 2
    # Taking it back asks first, then acts at once.
    url = reverse("feedback:share-remove", args=[grant.code])
    assert client.post(url)["X-Cairn-Confirm"] == "ask"
    assert FeedbackShare.objects.exists()
    assert htmx(client).post(url, {"confirmed": "yes"}).status_code == 200
    assert not FeedbackShare.objects.exists()
    assert coach.get(reverse("feedback:shared-person", args=[cast.report.code])).status_code == 404
    # The notification of the share is gone with it.
    assert coach.get(reverse("notifications:list")).status_code == 200
    assert "shared the feedback" not in html(coach.get(reverse("notifications:list")))


def test_the_askers_own_reads_are_not_recorded(cast: Cast) -> None:
    request = ask(cast.report, [cast.peer])
    client_for(cast.report).get(reverse("feedback:request", args=[request.code]))
    assert not AccessRecord.objects.exists()


def test_asks_of_a_request_are_unique_per_person(cast: Cast) -> None:
    request = ask(cast.report, [cast.peer, cast.peer, cast.manager])
    assert FeedbackAsk.objects.filter(request=request).count() == 2
