"""The who-sees-what rows of feedback, walked over the whole cast: the report asked
five colleagues and received feedback unasked; nobody but the report (and, for their
own answer, each author) reads any of it — not their manager, the org admin, HR, the
program admin, the other organisation, nor a Django superuser. Every test asserts the
status *and* that the planted texts are absent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cairn.feedback import services
from cairn.feedback.models import (
    FeedbackAnswer,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackShare,
    GivenFeedback,
    Takeaway,
)
from cairn.feedback.tests.factories import GIVEN_WELL, QUESTION, TAKEAWAY, World, ask_of, well
from cairn.people.models import User
from cairn.testing import ROLES, client_for, html, htmx


def owner_urls(world: World) -> list[str]:
    return [
        reverse("feedback:request", args=[world.request.code]),
        reverse("feedback:received", args=[world.given.code]),
        reverse("feedback:shared-person", args=[world.cast.report.code]),
    ]


def assert_nothing_of(world: World, page: str, *, but: tuple[str, ...] = ()) -> None:
    for text in world.secrets:
        if text not in but:
            assert text not in page, text


def test_the_asker_reads_their_request_the_answers_and_their_takeaway(world: World) -> None:
    page = html(client_for(world.cast.report).get(owner_urls(world)[0]))
    for text in [QUESTION, TAKEAWAY, *[well(n) for n in range(4)]]:
        assert text in page, text


def test_the_receiver_reads_feedback_given_to_them(world: World) -> None:
    response = client_for(world.cast.report).get(owner_urls(world)[1])
    assert response.status_code == 200
    assert GIVEN_WELL in html(response)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "report"])
def test_nobody_else_reads_the_request_or_what_was_given(world: World, role: str) -> None:
    person = world.cast.everyone()[role]
    client = client_for(person)
    for url in owner_urls(world):
        for c in (client, htmx(client)):
            response = c.get(url)
            assert response.status_code == 404, (role, url)
            assert_nothing_of(world, html(response))
    # Their own pages hold nothing of the report's either, but what they wrote
    # themselves (an author's own answer; the giver's own feedback).
    own = set()
    if role in ("peer", "coach", "director", "program_admin", "manager"):
        asked = ask_of(world.request, person)
        own = {well(n) for n in range(5)} | {QUESTION}
        response = client.get(reverse("feedback:answer", args=[asked.code]))
        assert response.status_code == 200
        assert QUESTION in html(response)
    home = client.get(reverse("feedback:home"))
    assert home.status_code == 200
    if role == "peer":
        own |= {GIVEN_WELL, *world.secrets[-3:-1]}
    assert_nothing_of(world, html(home), but=tuple(own))


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("report",)])
def test_nobody_reads_another_persons_answer_page(world: World, role: str) -> None:
    # The peer's ask, opened by everyone but the peer: 404, nothing of it.
    peer_ask = ask_of(world.request, world.cast.peer)
    if role == "peer":
        return
    person = world.cast.everyone()[role]
    response = client_for(person).get(reverse("feedback:answer", args=[peer_ask.code]))
    assert response.status_code == 404
    assert well(0) not in html(response)


def test_the_asker_cannot_open_an_answer_page_of_their_own_request(world: World) -> None:
    client = client_for(world.cast.report)
    for person in (world.cast.peer, world.cast.manager):
        response = client.get(reverse("feedback:answer", args=[ask_of(world.request, person).code]))
        assert response.status_code == 404
        assert "Your answer" not in html(response)


def test_querysets_give_nobody_else_anything(world: World) -> None:
    for role in ("director", "admin", "hr", "program_admin", "outsider"):
        person = world.cast.everyone()[role]
        assert not FeedbackRequest.objects.visible_to(person).exists(), role
        assert not GivenFeedback.objects.visible_to(person).exists(), role
        assert not Takeaway.objects.visible_to(person).exists(), role
        assert not FeedbackShare.objects.visible_to(person).exists(), role
        # Authors see their own answer and nothing of anybody else's.
        mine = FeedbackAnswer.objects.visible_to(person)
        assert all(a.ask.person_id == person.pk for a in mine), role
        assert all(a.person_id == person.pk for a in FeedbackAsk.objects.visible_to(person))


def superuser() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


def test_a_django_superuser_without_a_person_reads_nothing(world: World) -> None:
    client = superuser()
    for url in [reverse("feedback:home"), *owner_urls(world)]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert_nothing_of(world, html(response))


def test_a_superuser_who_is_a_person_reads_nothing_of_someone_else(world: World) -> None:
    User.objects.filter(pk=world.cast.admin.user_id).update(is_superuser=True, is_staff=True)
    client = client_for(world.cast.admin)
    for url in owner_urls(world):
        response = client.get(url)
        assert response.status_code == 404
        assert_nothing_of(world, html(response))


@pytest.mark.parametrize(
    "model",
    [
        "feedbackrequest",
        "feedbackask",
        "feedbackanswer",
        "givenfeedback",
        "takeaway",
        "feedbackshare",
        "sessionfeedback",
    ],
)
def test_the_django_admin_has_no_page_for_feedback(world: World, model: str) -> None:
    response = superuser().get(f"/admin/feedback/{model}/")
    assert response.status_code == 404
    assert_nothing_of(world, html(response))


def test_forged_writes_by_others_change_nothing(world: World) -> None:
    peer_ask = ask_of(world.request, world.cast.director)
    before = (
        FeedbackAnswer.objects.count(),
        Takeaway.objects.count(),
        GivenFeedback.objects.get().status,
        FeedbackAsk.objects.get(pk=peer_ask.pk).status,
    )
    for role in ("manager", "admin", "hr", "outsider", "peer"):
        client = client_for(world.cast.everyone()[role])
        posts = [
            (reverse("feedback:request-takeaway", args=[world.request.code]), {"text": "forged"}),
            (
                reverse("feedback:received-keep", args=[world.given.code]),
                {"keep": "no", "confirmed": "yes"},
            ),
            (reverse("feedback:received-takeaway", args=[world.given.code]), {"text": "forged"}),
        ]
        if role != "director":
            posts += [
                (
                    reverse("feedback:answer", args=[peer_ask.code]),
                    {"well": "forged", "signed": "signed"},
                ),
                (reverse("feedback:decline", args=[peer_ask.code]), {"confirmed": "yes"}),
            ]
        for url, data in posts:
            response = client.post(url, data)
            assert response.status_code == 404, (role, url)
    after = (
        FeedbackAnswer.objects.count(),
        Takeaway.objects.count(),
        GivenFeedback.objects.get().status,
        FeedbackAsk.objects.get(pk=peer_ask.pk).status,
    )
    assert after == before


def test_a_share_lets_one_person_read_until_taken_back(world: World) -> None:
    report, manager = world.cast.report, world.cast.manager
    grant = services.share(report, manager)
    client = client_for(manager)
    response = client.get(reverse("feedback:shared-person", args=[report.code]))
    assert response.status_code == 200
    page = html(response)
    for text in (QUESTION, GIVEN_WELL, well(0)):
        assert text in page, text
    assert TAKEAWAY not in page  # takeaways are the report's alone
    assert client.get(reverse("feedback:request", args=[world.request.code])).status_code == 200
    # The director, above the manager, was not shared with.
    director = client_for(world.cast.director)
    assert director.get(reverse("feedback:shared-person", args=[report.code])).status_code == 404
    services.unshare(report, grant)
    for url in owner_urls(world):
        response = client.get(url)
        assert response.status_code == 404
        assert_nothing_of(world, html(response))
