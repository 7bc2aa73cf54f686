"""The export costs the same number of queries with 1 row of each kind and with 50:
no query per row, whatever the apps hold."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.export import document as doc
from cairn.export import services
from cairn.export.tests import factories as world
from cairn.notifications.models import Notification
from cairn.testing import Cast, client_for, count_queries, make_cast

SMALL = 1
LARGE = 50

# Every request spends three queries on who is asking (session, user, person); the
# export two for what was imported (the imports, their kept items), and then what
# each app's export reads. An app that starts to export must say what it costs here.
QUERIES_PER_APP = {
    "growth": 5,  # missions, plan, objectives, their action items, their check-ins
    "mastery": 3,  # assessments, grants, behaviours ticked in debriefs
    "coaching": 4,  # notes, action items, agreements, debriefs
    # profile, its two tag lists; requests; enrolments, their tags, goal tags,
    # not-with, shortlist; published pairs
    "mentoring": 10,
    # stories, whether the person reviews (for versions' visibility), versions,
    # reviews received; reviews written
    "library": 5,
    "trust": 1,  # the person's access records
    # requests asked, whom they asked, the answers shown, takeaways; answers written;
    # given; received; whether sessions helped
    "feedback": 8,
    "debriefs": 3,  # reflections written, private notes, action items owned
}
APPS = {provider.app for provider in doc.providers()}
EXPORT_QUERIES = 2 + sum(QUERIES_PER_APP.get(app, 0) for app in APPS)
DOWNLOAD_QUERIES = 3 + EXPORT_QUERIES
PAGE_QUERIES = DOWNLOAD_QUERIES + 2  # and the person's earlier imports, and the bell


def grow(cast: Cast, rows: int) -> None:
    world.fill(cast, rows)
    # And as many items kept from an earlier import, in two sections.
    document = doc.export_document(cast.report)
    document["sections"] = {
        "old_notes": [{"body": f"kept {n}"} for n in range(rows)],
        "old_debriefs": [{"learned": f"kept {n}"} for n in range(rows)],
    }
    services.import_document(cast.report, cast.report, document)


def counts(client: Client, url: str) -> int:
    def get() -> None:
        assert client.get(url).status_code == 200

    return count_queries(get)


BOUNDS = {
    "export:json": DOWNLOAD_QUERIES,
    "export:markdown": DOWNLOAD_QUERIES,
    "export:print": DOWNLOAD_QUERIES,
    "export:data": PAGE_QUERIES,
}


@pytest.fixture(scope="module")
def casts(module_db: None, django_db_blocker: Any) -> tuple[Cast, Cast]:
    """Two worlds, built once for the module (building them is what takes the time):
    one cast's report with 1 row of each kind, another's with 50, kept from two
    imports."""
    with django_db_blocker.unblock():
        small, large = make_cast(), make_cast()
        grow(small, SMALL)
        grow(large, SMALL)
        large.report.refresh_from_db()
        # A second, larger import: 49 more rows of each kind.
        world.fill(large, LARGE - SMALL)
        document = doc.export_document(large.report)
        document["sections"] = {"old_notes": [{"body": f"more {n}"} for n in range(LARGE - SMALL)]}
        services.import_document(large.report, large.report, document)
        # Building the worlds told people things (engagements proposed, stories
        # reviewed…): all read, so that the bell costs its one query here. What it
        # costs with unread notifications is the notifications app's own test.
        Notification.objects.update(read_at=timezone.now())
    return small, large


@pytest.mark.parametrize("name", BOUNDS)
def test_queries_do_not_grow_with_rows(db: None, casts: tuple[Cast, Cast], name: str) -> None:
    small, large = (counts(client_for(cast.report), reverse(name)) for cast in casts)
    assert small == large
    assert large <= BOUNDS[name]


def test_every_contributing_app_states_its_cost() -> None:
    assert APPS - set(QUERIES_PER_APP) == set(), "add the app to QUERIES_PER_APP"


def test_the_export_itself_is_bounded(cast: Cast) -> None:
    grow(cast, SMALL)
    assert count_queries(lambda: doc.export_document(cast.report)) <= EXPORT_QUERIES
