"""How page cost grows with history: the demo organisation's busiest people (a year
of weekly one-on-ones, a library of stories, a mentor directory) against a person
with a single session in an otherwise empty organisation, in one process.

Prints, per page, the median time over repeated renders and the number of SQL
queries, for the baseline and for the demo, and their ratio. Run: make bench.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="cairn-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
os.environ.setdefault("CAIRN_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cairn.coaching.models import Engagement, EngagementKind
from cairn.coaching.tests.factories import make_session, one_on_one
from cairn.demo.builder import build_demo
from cairn.people.models import Person
from cairn.testing import make_org, make_person

REPEATS = 30


def measure(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm the template cache
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings) * 1000, len(queries)


def pages_for(person: Person) -> dict[str, str]:
    engagement = (
        Engagement.objects.for_party(person)
        .filter(kind=EngagementKind.ONE_ON_ONE)
        .order_by("-created_at")
        .first()
    )
    assert engagement is not None
    session = engagement.sessions.order_by("-scheduled_for").first()
    assert session is not None
    return {
        "home": reverse("home"),
        "engagement": reverse("coaching:engagement", args=[engagement.code]),
        "session": reverse("coaching:session", args=[session.code]),
        "person": reverse("people:person", args=[person.code]),
        "my growth": reverse("growth:home"),
        "mastery": reverse("mastery:home"),
        "mentors": reverse("mentoring:directory"),
        "library": reverse("library:index"),
        "search": reverse("library:index") + "?q=team+feedback",
        "your data": reverse("export:data"),
    }


def client_for(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def main() -> None:
    logging.getLogger("cairn").setLevel(logging.WARNING)  # one line per row added
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_demo()
    print(f"demo built in {time.perf_counter() - started:.2f} s")

    org = make_org("Baseline")
    manager = make_person(org, "Base Manager")
    report = make_person(org, "Base Report", manager=manager)
    make_session(one_on_one(manager, report))

    busiest = max(
        Person.objects.exclude(organisation=org),
        key=lambda p: Engagement.objects.for_party(p).count(),
    )
    sessions = sum(e.sessions.count() for e in Engagement.objects.for_party(busiest))
    print(f"baseline: 1 engagement, 1 session; demo: {busiest.name}, {sessions} sessions\n")

    base_pages, demo_pages = pages_for(manager), pages_for(busiest)
    base_client, demo_client = client_for(manager), client_for(busiest)
    print(f"{'page':<12}{'baseline ms':>12}{'demo ms':>10}{'ratio':>8}{'queries':>12}")
    for name, url in base_pages.items():
        base_ms, base_q = measure(base_client, url)
        demo_ms, demo_q = measure(demo_client, demo_pages[name])
        print(
            f"{name:<12}{base_ms:>12.2f}{demo_ms:>10.2f}{demo_ms / base_ms:>8.1f}"
            f"{f'{base_q} / {demo_q}':>12}"
        )


if __name__ == "__main__":
    main()
