"""Cairn at the size of a real organisation: every main page, as each role, against
the floor.

Builds an organisation of ``--people`` people (10,000 by default; 100,000 works) in
a management tree, with a year of weekly one-on-ones for every reporting line (a
session a week, each with an agenda point and a shared note, an action item every
fourth week), a development plan with two objectives each, mentor profiles (one in
five people, at most 2,000) and published stories (one for every two people, at
most 5,000) — through bulk inserts, with a progress bar — on the configured
database: ``DATABASE_URL`` (PostgreSQL when given; it must be a fresh database, or
one this script built at the same size, which it reuses), a temporary SQLite file
otherwise.

Then prints, for every page of ``PAGES`` and every role of ``ROLES``: the median
and 95th percentile server time, the query count, the bytes, and the ratio of the
page's throughput to the floor's — a constant view served through the same
settings and middleware to the same signed-in person, measured in the same run
(1.0: nothing of ours costs anything; 0.1: the page is ten times the floor).

Run: ``python bench/scale.py [--people N] [--pages home,person] [--roles head,report]
[--repeats 20] [--cpu] [--cold]``; ``make bench`` runs it at 2,000 people. ``--cold``
clears the insights' cache before every request, so the leaders' insights, kept once
counted, are counted each time (the default measures them kept). ``--cpu`` times
each request by the CPU time it took, steadier than the wall on a busy machine.
``--demo`` measures the demo organisation instead (``python -m cairn demo``'s data,
built when missing; ``--people`` and ``--weeks`` are then ignored), as its cast: the
report, their manager, the head of the organisation, the org admin, the program
admin and HR.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="cairn-scale-")
if "DATABASE_URL" not in os.environ:
    # A throwaway database, and its encryption key beside it. A database given by
    # DATABASE_URL keeps the usual key (var/), so that a later run can reuse it.
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/scale.sqlite3"
    os.environ.setdefault("CAIRN_VAR_DIR", _tmp.name)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
os.environ.setdefault("CAIRN_ALLOWED_HOSTS", "testserver")
# Served the way production serves: no debug (templates unannotated, queries unrecorded).
os.environ.setdefault("CAIRN_DEBUG", "0")

import django
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

django.setup()

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches, reverse
from tqdm import tqdm

from cairn.coaching.models import Engagement, EngagementKind, Session
from cairn.growth.models import Objective
from cairn.people.models import Organisation, Person
from cairn.testing.bulk import bulk_tree
from cairn.testing.history import (
    bulk_mentors,
    bulk_one_on_ones,
    bulk_plans,
    bulk_stories,
)


def floor(request: HttpRequest) -> HttpResponse:
    """The floor: a constant answer, through every middleware of the real site."""
    return HttpResponse(b"floor")


# Bench only: this script is the URLconf, the site's own plus the floor.
FLOOR_URL = "/bench/floor/"
urlpatterns = [path(FLOOR_URL.strip("/") + "/", floor), path("", include("cairn.urls"))]


# --- the organisation ------------------------------------------------------------------


@dataclass
class World:
    organisation: Organisation
    roles: dict[str, Person]


def build(people: int, weeks: int) -> World:
    slug = f"scale-{people}"
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        if Person.objects.exists():
            sys.exit(
                "The database holds another organisation: give bench/scale.py a fresh "
                "one (or one it built at this --people)."
            )
        organisation = _build(slug, people, weeks)
    return World(organisation, _cast(organisation))


def _build(slug: str, people: int, weeks: int) -> Organisation:
    started = time.perf_counter()
    organisation = Organisation.objects.create(name=f"Scale {people}", slug=slug)
    with tqdm(total=people, desc="people", unit=" people") as bar:
        levels = bulk_tree(organisation, people)
        bar.update(people)
    everyone = [p for level in levels for p in level]
    chunk = 200
    sessions = 0
    with tqdm(total=len(everyone) - 1, desc="one-on-ones", unit=" lines") as bar:
        for at in range(0, len(everyone), chunk):
            part = everyone[at : at + chunk]
            with transaction.atomic():
                sessions += bulk_one_on_ones(part, weeks=weeks)
            bar.update(sum(1 for p in part if p.manager_id is not None))
    with tqdm(total=len(everyone), desc="plans", unit=" plans") as bar:
        for at in range(0, len(everyone), 2000):
            with transaction.atomic():
                bulk_plans(everyone[at : at + 2000])
            bar.update(len(everyone[at : at + 2000]))
    leaves = levels[-1]
    mentors = min(2000, people // 5)
    with transaction.atomic():
        # Managers mentor first: the people with most to tell.
        managers = [p for level in levels[:-1] for p in level]
        bulk_mentors((managers + leaves)[:mentors])
    with transaction.atomic():
        bulk_stories(everyone[: max(1, people // 10)], min(5000, people // 2))
    print(
        f"built {people} people, {len(levels)} levels, {sessions} sessions, "
        f"{mentors} mentors, {min(5000, people // 2)} stories "
        f"in {time.perf_counter() - started:.0f} s on {connection.vendor}"
    )
    return organisation


def demo() -> World:
    """The demo organisation, built unless the database holds it, and its cast."""
    from cairn.demo.builder import build_demo
    from cairn.demo.cast import find_cast

    organisation = build_demo().organisation
    cast = {member.role: member.person for member in find_cast(organisation, strict=False)}
    head = (  # the top of the tree (the demo's external coach has no manager either)
        Person.objects.select_related("user")
        .filter(organisation=organisation, manager__isnull=True)
        .annotate(team_size=Count("reports"))
        .order_by("-team_size", "pk")
        .first()
    )
    assert head is not None
    names = {"report": "report", "manager": "manager", "org admin": "org admin"}
    names |= {"program admin": "program admin", "hr": "HR"}
    roles = {ours: cast[theirs] for ours, theirs in names.items() if theirs in cast}
    return World(organisation, roles | {"head": head})


def _cast(organisation: Organisation) -> dict[str, Person]:
    """Who looks: the head of the organisation, a team lead (a manager of the last
    level), a report (on that lead's team), and three people of that team given
    the org admin's, program admin's and HR's roles."""
    people = Person.objects.filter(organisation=organisation).select_related("user")
    head = people.get(manager__isnull=True)
    # A lead of the last level with four reports at least: the report, the org admin,
    # the program admin and HR are four different people of their team (one person
    # with every role would be HR, to whom insights answer nothing).
    # (A manager of managers only where no team lead has four.)
    lead = (
        people.annotate(
            team_size=Count("reports"),
            leads_leads=Exists(Person.objects.filter(manager__manager=OuterRef("pk"))),
        )
        .filter(team_size__gte=4)
        .order_by("leads_leads", "-pk")
        .first()
    )
    assert lead is not None
    report, admin, program_admin, hr = people.filter(manager=lead).order_by("pk")[:4]
    flags = {"is_org_admin": admin, "is_program_admin": program_admin, "is_hr": hr}
    for flag, person in flags.items():
        Person.objects.filter(pk=person.pk).update(**{flag: True})
        setattr(person, flag, True)
    return {
        "report": report,
        "manager": lead,
        "head": head,
        "org admin": admin,
        "program admin": program_admin,
        "hr": hr,
    }


ROLES = ("report", "manager", "head", "org admin", "program admin", "hr")


# --- the pages: one row each; a page returns None where a role has nothing to open ---


def _one_on_one(viewer: Person) -> Engagement | None:
    return (
        Engagement.objects.for_party(viewer)
        .filter(kind=EngagementKind.ONE_ON_ONE)
        .order_by("-pk")
        .first()
    )


def _session(viewer: Person) -> str | None:
    engagement = _one_on_one(viewer)
    if engagement is None:
        return None
    session = Session.objects.filter(engagement=engagement).order_by("-scheduled_for").first()
    return reverse("coaching:session", args=[session.code]) if session else None


def _engagement(viewer: Person) -> str | None:
    engagement = _one_on_one(viewer)
    return reverse("coaching:engagement", args=[engagement.code]) if engagement else None


def _objective(viewer: Person) -> str | None:
    objective = Objective.objects.filter(plan__owner=viewer).order_by("pk").first()
    return reverse("growth:objective", args=[objective.code]) if objective else None


def _report_of(viewer: Person) -> str | None:
    report = Person.objects.filter(manager=viewer).order_by("pk").first()
    return reverse("people:person", args=[report.code]) if report else None


Page = Callable[[Person], str | None]

PAGES: dict[str, Page] = {
    "home": lambda viewer: reverse("home"),
    "session": _session,
    "engagement": _engagement,
    "person (own)": lambda viewer: reverse("people:person", args=[viewer.code]),
    "person (a report)": _report_of,
    "people": lambda viewer: reverse("people:directory"),
    "plan": lambda viewer: reverse("growth:home"),
    "objective": _objective,
    "mentors": lambda viewer: reverse("mentoring:directory"),
    "mentoring requests": lambda viewer: reverse("mentoring:requests"),
    "programs": lambda viewer: reverse("mentoring:programs"),
    "library": lambda viewer: reverse("library:index"),
    "library search": lambda viewer: reverse("library:index") + "?q=feedback",
    "feedback": lambda viewer: reverse("feedback:home"),
    "notifications": lambda viewer: reverse("notifications:list"),
    # Issue 14: insights over the viewer's own figures, their subtree, the organisation.
    "insights (me)": lambda viewer: reverse("insights:me"),
    "insights (team)": lambda viewer: reverse("insights:team"),
    "insights (organisation)": lambda viewer: reverse("insights:organisation"),
    "developing others": lambda viewer: reverse("insights:developing-others"),
    "debriefs": lambda viewer: reverse("debriefs:home"),
}


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Figures:
    p50_ms: float
    p95_ms: float
    queries: int
    size: int
    status: int


# Wall-clock time by default; ``--cpu``: this thread's CPU time, which other work
# on a shared machine disturbs far less (SQLite runs in the thread, so its work
# counts; a PostgreSQL server's does not).
CLOCK: Callable[[], float] = time.perf_counter
# ``--cold``: the insights' cache is cleared before each request (the leaders' insights
# are kept once counted: cairn.insights.counted).
COLD = False


def measure(client: Client, url: str, repeats: int) -> tuple[Figures, list[float]]:
    """The page's figures, and the floor's timings taken between its requests: on a
    shared machine the two see the same load, so their ratio holds when the
    absolute times do not."""
    client.get(url)  # warm the caches, as a running server would have them
    timings: list[float] = []
    floor_timings: list[float] = []
    for _ in range(repeats):
        for into, target in ((floor_timings, FLOOR_URL), (timings, url)):
            if COLD:
                caches["insights"].clear()
            started = CLOCK()
            client.get(target)
            into.append((CLOCK() - started) * 1000)
    if COLD:
        caches["insights"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    figures = Figures(
        statistics.median(timings),
        _p95(timings),
        len(queries),
        len(response.content),
        response.status_code,
    )
    return figures, floor_timings


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=52, help="weeks of one-on-ones")
    parser.add_argument("--repeats", type=int, default=20, help="timed requests per row")
    parser.add_argument("--pages", help=f"comma-separated, of: {', '.join(PAGES)}")
    parser.add_argument("--roles", help=f"comma-separated, of: {', '.join(ROLES)}")
    parser.add_argument("--demo", action="store_true", help="measure the demo organisation")
    parser.add_argument("--cpu", action="store_true", help="time by CPU, not by the wall")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="forget the insights' cache before every request: the leaders' insights counted "
        "afresh each time, as the first viewer of a scope gets them",
    )
    args = parser.parse_args()
    global CLOCK, COLD
    if args.cpu:
        CLOCK = time.thread_time
    COLD = args.cold
    pages = _chosen(args.pages, PAGES, "page")
    roles = _chosen(args.roles, ROLES, "role")

    logging.getLogger("cairn").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s of a role
    settings.ROOT_URLCONF = __name__
    clear_url_caches()
    call_command("migrate", verbosity=0)
    world = demo() if args.demo else build(args.people, args.weeks)
    size = Person.objects.filter(organisation=world.organisation).count()
    what = "the demo" if args.demo else f"{size} people"
    clock = "CPU" if args.cpu else "wall-clock"
    print(
        f"\n{what} ({size} people) on {connection.vendor}, {args.repeats} requests a row, "
        f"{clock} time{', cache cleared before each request' if COLD else ''}"
    )
    header = f"{'page':<20}{'as':<15}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'bytes':>9}"
    print(f"{header}{'x floor':>9}")
    for role in roles:
        if role not in world.roles:
            print(f"{'':<20}{role:<15}{'(nobody plays this role)':>45}")
            continue
        viewer = world.roles[role]
        client = Client()
        client.force_login(viewer.user)
        floors: list[float] = []
        for name in pages:
            url = PAGES[name](viewer)
            if url is None:
                print(f"{name:<20}{role:<15}{'(nothing to open)':>45}")
                continue
            f, floor_timings = measure(client, url, args.repeats)
            floors += floor_timings
            status = "" if f.status == 200 else f"  HTTP {f.status}"
            print(
                f"{name:<20}{role:<15}{f.p50_ms:>9.2f}{f.p95_ms:>9.2f}{f.queries:>9}"
                f"{f.size:>9}{statistics.median(floor_timings) / f.p50_ms:>9.2f}{status}"
            )
        if floors:
            print(f"{'(floor)':<20}{role:<15}{statistics.median(floors):>9.2f}{_p95(floors):>9.2f}")
    print(
        "\nx floor: the floor's median over the page's, the floor measured between the "
        "page's requests\n(a throughput ratio: 1 is the floor, 0.5 twice its cost)."
    )


def _chosen(given: str | None, known: dict[str, Page] | tuple[str, ...], what: str) -> list[str]:
    if not given:
        return list(known)
    names = [name.strip() for name in given.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        sys.exit(f"Unknown {what}: {', '.join(unknown)}. Known: {', '.join(known)}.")
    return names


if __name__ == "__main__":
    main()
