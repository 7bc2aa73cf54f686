"""The feedback pages with a choice of people stay the same size from 50 people to
5,000 (the viewer manages them all): their pickers offer the people the viewer works
with (a bounded few) and search the rest on the server."""

from __future__ import annotations

from django.urls import reverse

from cairn.people.models import Person
from cairn.testing import Cast, client_for
from cairn.testing.bulk import bulk_people, refresh_statistics

SMALL = 50
LARGE = 5_000
CAP = 100_000


def test_feedback_pages_stay_the_same_size_from_50_to_5000_people(cast: Cast) -> None:
    urls = [reverse("feedback:ask"), reverse("feedback:ask") + "?q=Bulk", reverse("feedback:give")]
    made: list[Person] = []
    client = client_for(cast.manager)
    made.extend(bulk_people(cast.org, SMALL, managers=[cast.manager]))
    small = {url: client.get(url) for url in urls}
    made.extend(bulk_people(cast.org, LARGE - SMALL, managers=[cast.manager]))
    refresh_statistics()  # PostgreSQL plans for the rows it knows of
    for url, before in small.items():
        assert before.status_code == 200, url
        after = client.get(url)
        assert after.status_code == 200, url
        size = len(after.content)
        assert size < len(before.content) * 1.2 + 2_000, (url, len(before.content), size)
        assert size < CAP, (url, size)
