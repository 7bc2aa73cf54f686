"""Every feedback page is labelled for screen readers (the shared checker): full
pages, empty and filled, and the answers with errors, for each side."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from cairn.feedback import services
from cairn.feedback.tests.factories import World, ask_of
from cairn.testing import Cast, client_for, html
from cairn.testing.accessibility import problems


def check(client: Client, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(html(response)) == [], url


def test_the_askers_pages_are_labelled(world: World) -> None:
    services.share(world.cast.report, world.cast.manager)
    check(
        client_for(world.cast.report),
        [
            reverse("feedback:home"),
            reverse("feedback:ask"),
            reverse("feedback:request", args=[world.request.code]),
            reverse("feedback:give"),
            reverse("feedback:received", args=[world.given.code]),
            reverse("feedback:shares"),
        ],
    )
    check(
        client_for(world.cast.manager),
        [
            reverse("feedback:answer", args=[ask_of(world.request, world.cast.manager).code]),
            reverse("feedback:shared-person", args=[world.cast.report.code]),
        ],
    )


def test_empty_pages_are_labelled(cast: Cast) -> None:
    check(
        client_for(cast.peer),
        [reverse(f"feedback:{name}") for name in ("home", "ask", "give", "shares")],
    )


def test_error_answers_are_labelled(world: World) -> None:
    client = client_for(world.cast.report)
    waiting = ask_of(world.request, world.cast.manager)
    for person, url, data in [
        (world.cast.report, reverse("feedback:ask"), {"about": "question"}),
        (world.cast.report, reverse("feedback:give"), {"well": ""}),
        (world.cast.report, reverse("feedback:shares"), {"person": ""}),
        (
            world.cast.report,
            reverse("feedback:request-takeaway", args=[world.request.code]),
            {"text": ""},
        ),
        (world.cast.manager, reverse("feedback:answer", args=[waiting.code]), {"well": ""}),
    ]:
        response = (client if person == world.cast.report else client_for(person)).post(url, data)
        assert response.status_code == 422, url
        assert problems(html(response)) == [], url
