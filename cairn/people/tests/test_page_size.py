"""People pages that could list everyone stay the same size from 50 people to 5,000:
the directory and the admin's list (pages), a person's page (a page of their
reports), and the picker's search (a few dozen at most)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from cairn.people.models import Person
from cairn.testing import Cast, client_for
from cairn.testing.bulk import bulk_people, refresh_statistics

SMALL = 50
LARGE = 5_000
CAP = 100_000


def _flat(cast: Cast, viewer: Person, urls: Callable[[], list[str]], manager: Person) -> None:
    made: list[Person] = []

    def grow(n: int) -> None:
        made.extend(bulk_people(cast.org, n - len(made), managers=[manager]))

    client = client_for(viewer)
    grow(SMALL)
    small = {url: client.get(url) for url in urls()}
    grow(LARGE)
    refresh_statistics()  # PostgreSQL plans for the rows it knows of
    for url, before in small.items():
        assert before.status_code == 200, url
        after = client.get(url)
        assert after.status_code == 200, url
        assert len(after.content) < len(before.content) * 1.2 + 2_000, (
            url,
            len(before.content),
            len(after.content),
        )
        assert len(after.content) < CAP, (url, len(after.content))


def test_people_pages_stay_the_same_size_from_50_to_5000_people(cast: Cast) -> None:
    def urls() -> list[str]:
        return [
            reverse("people:directory"),
            reverse("people:directory") + "?q=Bulk",
            reverse("people:person", args=[cast.manager.code]),
            reverse("people:pick") + "?q=Bulk",
        ]

    _flat(cast, cast.director, urls, manager=cast.manager)


def test_the_admins_list_stays_the_same_size_from_50_to_5000_people(cast: Cast) -> None:
    def urls() -> list[str]:
        return [reverse("people:manage"), reverse("people:manage") + "?q=Bulk"]

    _flat(cast, cast.admin, urls, manager=cast.manager)


def test_a_persons_reports_come_a_page_at_a_time(cast: Cast) -> None:
    from cairn.people.views import REPORTS_PAGE_SIZE

    bulk_people(cast.org, REPORTS_PAGE_SIZE + 3, managers=[cast.manager])
    url = reverse("people:person", args=[cast.manager.code])
    client = client_for(cast.director)
    total = cast.manager.reports.count()  # these and the cast's own
    assert total > REPORTS_PAGE_SIZE
    first = client.get(url).content.decode()
    assert f"1–{REPORTS_PAGE_SIZE} of {total} direct reports" in first
    last = client.get(url, {"page": "999"}).content.decode()  # past the end: the last
    assert f"{REPORTS_PAGE_SIZE + 1}–{total} of {total} direct reports" in last
    assert cast.report.name in first + last
