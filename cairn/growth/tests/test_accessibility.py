"""Every growth page is labelled for screen readers (the shared checker), full pages
and the parts htmx swaps in, empty and filled, for the owner and a shared reader."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from cairn.growth.tests.factories import Growth
from cairn.testing import Cast, client_for, html
from cairn.testing.accessibility import problems


def owner_pages(growth: Growth) -> list[str]:
    objective = growth.objective
    return [
        reverse("growth:home"),
        reverse("growth:mission"),
        reverse("growth:mission-guided"),
        reverse("growth:mission-history"),
        reverse("growth:plan"),
        reverse("growth:objective-new"),
        reverse("growth:objective", args=[objective.code]),
        reverse("growth:objective-edit", args=[objective.code]),
        reverse("growth:shared"),
    ]


def check(client: Client, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(html(response)) == [], url


def test_owner_pages_are_labelled(growth: Growth) -> None:
    check(client_for(growth.owner), owner_pages(growth))


def test_empty_pages_are_labelled(cast: Cast) -> None:
    client = client_for(cast.peer)
    check(
        client,
        [
            reverse(f"growth:{name}")
            for name in ("home", "mission", "mission-guided", "mission-history", "plan", "shared")
        ],
    )


def test_reader_pages_are_labelled(growth: Growth) -> None:
    check(
        client_for(growth.cast.coach),
        [
            reverse("growth:shared"),
            reverse("growth:shared-plan", args=[growth.owner.code]),
            reverse("growth:objective", args=[growth.objective.code]),
        ],
    )


def test_error_answers_are_labelled(growth: Growth) -> None:
    client = client_for(growth.owner)
    objective = growth.objective
    for url, data in [
        (reverse("growth:mission"), {"text": ""}),
        (reverse("growth:mission-guided"), {"text": ""}),
        (reverse("growth:plan"), {}),
        (reverse("growth:objective-new"), {"what": ""}),
        (reverse("growth:action-add", args=[objective.code]), {"description": ""}),
        (reverse("growth:check-in-add", args=[objective.code]), {"note": ""}),
        (reverse("growth:share-add"), {"person": ""}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 422, url
        assert problems(html(response)) == [], url
