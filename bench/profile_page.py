"""Where a page's time goes: cProfile over repeated requests of one page as one role.

Uses ``bench/scale.py``'s pages and roles, on the demo (or ``--people N``: scale.py's
organisation of that size):
``python bench/profile_page.py --page session --role manager [--repeats 50]
[--sort tottime] [--limit 40] [--only REGEX]``: the pstats summary, by cumulative
and by own time. ``--queries``: each query's time to build its SQL.
``--calls PAGES``: the Python function calls of each page as each role against the
floor's (a measure a busy machine does not move). ``--breakdown PAGES``: the share
of a request spent building querysets and SQL, in the database, turning rows into
objects, reversing URLs, rendering widgets and templates. ``--split PAGES``: each
request's CPU time in three parts, without a profiler's distortion — the queries
(built and run, wherever they run), Django's template engine alone (rendering less
the queries the templates run) and the rest (the request, the view's own code, the
querysets it builds) — against the floor's. Notes and figures:
``bench/profiles/README.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # sets up Django the way the bench runs it
from django.core.management import call_command
from django.test import Client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", action="store_true", help="the demo (the default)")
    parser.add_argument("--people", type=int, help="bench/scale.py's organisation instead")
    parser.add_argument("--page", default="home", help=", ".join(scale.PAGES))
    parser.add_argument("--role", default="manager", help=", ".join(scale.ROLES))
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--limit", type=int, default=35)
    parser.add_argument("--sort", default="cumulative,tottime")
    parser.add_argument("--queries", action="store_true", help="time each query's building")
    parser.add_argument(
        "--calls",
        help="comma-separated pages (or 'all'): Python function calls per request, for "
        "every role, against the floor's (unlike times, the same on a busy machine)",
    )
    parser.add_argument(
        "--breakdown",
        help="comma-separated pages (or 'all'): the share of the role's request in "
        "building SQL, the database, rows to objects, reversing URLs, form widgets",
    )
    parser.add_argument(
        "--split",
        help="comma-separated pages (or 'all'): the role's CPU ms per request in queries, "
        "the template engine alone and the rest, against the floor's",
    )
    parser.add_argument("--only", help="a regular expression the lines must match (cairn/)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    world = scale.build(args.people, 52) if args.people and not args.demo else scale.demo()
    if args.calls:
        _count_calls(world, args.calls)
        return
    if args.breakdown:
        _breakdown(world, args.breakdown, args.role, args.repeats)
        return
    if args.split:
        _split(world, args.split, args.role, args.repeats)
        return
    viewer = world.roles[args.role]
    client = Client()
    client.force_login(viewer.user)
    url = scale.PAGES[args.page](viewer)
    if url is None:
        sys.exit(f"{args.role} has no {args.page} to open")
    for _ in range(3):
        assert client.get(url).status_code == 200
    if args.queries:
        _time_queries(client, url, args.repeats)
        return
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.repeats):
        client.get(url)
    profile.disable()
    for key in args.sort.split(","):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        if not args.only:
            stats = stats.strip_dirs()
        stats = stats.sort_stats(key)
        stats.print_stats(*([args.only] if args.only else []), args.limit)
        print(f"=== {args.page} as {args.role}, {args.repeats} requests, by {key}")
        print(out.getvalue())


def _calls(client: Client, url: str) -> int:
    profile = cProfile.Profile()
    profile.enable()
    client.get(url)
    profile.disable()
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def _count_calls(world: scale.World, pages: str) -> None:
    from django.conf import settings
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = scale.__name__
    clear_url_caches()
    names = list(scale.PAGES) if pages == "all" else [p.strip() for p in pages.split(",")]
    print(f"{'page':<20}{'as':<15}{'calls':>9}{'floor':>9}{'x floor':>9}")
    for role, viewer in world.roles.items():
        client = Client()
        client.force_login(viewer.user)
        for name in names:
            url = scale.PAGES[name](viewer)
            if url is None:
                continue
            for _ in range(2):  # warm: the caches a running server has
                client.get(url)
                client.get(scale.FLOOR_URL)
            calls, floor = _calls(client, url), _calls(client, scale.FLOOR_URL)
            print(f"{name:<20}{role:<15}{calls:>9}{floor:>9}{floor / calls:>9.2f}")


# (label, file suffix, function name, cumulative): overlapping shares of the whole.
_PARTS = (
    ("building querysets", "models/query.py", "_filter_or_exclude", True),
    ("building SQL", "sql/compiler.py", "as_sql", True),
    ("database", "sqlite3/base.py", "execute", True),
    ("rows to objects", "models/base.py", "from_db", True),
    ("converters", "sql/compiler.py", "apply_converters", True),
    ("reversing URLs", "urls/base.py", "reverse", True),
    ("form widgets", "forms/boundfield.py", "as_widget", True),
    ("templates (with their queries)", "template/loader.py", "render_to_string", True),
)


def _breakdown(world: scale.World, pages: str, role: str, repeats: int) -> None:
    viewer = world.roles[role]
    client = Client()
    client.force_login(viewer.user)
    names = list(scale.PAGES) if pages == "all" else [p.strip() for p in pages.split(",")]
    print(f"as {role}, {repeats} requests a page; % of the request (parts overlap)")
    print(f"{'page':<20}" + "".join(f"{label[:12]:>14}" for label, *_ in _PARTS))
    for name in names:
        url = scale.PAGES[name](viewer)
        if url is None:
            continue
        client.get(url)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(repeats):
            client.get(url)
        profile.disable()
        stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
        total = max(
            (
                ct
                for (f, _, fn), (_, _, _, ct, _) in stats.items()
                if f.endswith("test/client.py") and fn == "request"
            ),
            default=1.0,
        )
        row = []
        for _, suffix, function, _ in _PARTS:
            spent = max(
                (
                    ct
                    for (f, _, fn), (_, _, _, ct, _) in stats.items()
                    if f.endswith(suffix) and fn == function
                ),
                default=0.0,
            )
            row.append(100 * spent / total)
        print(f"{name:<20}" + "".join(f"{share:>13.0f}%" for share in row))


def _time_queries(client: Client, url: str, repeats: int) -> None:
    """Each query of the page, by model and the line of ours that ran it: the
    milliseconds spent building its SQL (``SQLCompiler.as_sql``), a request's mean."""
    import time
    import traceback
    from collections import defaultdict

    from django.db.models.sql.compiler import SQLCompiler

    built: dict[str, list[float]] = defaultdict(list)
    original = SQLCompiler.as_sql
    depth = [0]

    def timed(self: SQLCompiler, *args: object, **kwargs: object) -> object:
        depth[0] += 1
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                spent = (time.perf_counter() - started) * 1000
                ours = [f for f in traceback.extract_stack() if "/cairn/" in f.filename]
                at = f"{ours[-1].filename.split('/cairn/')[-1]}:{ours[-1].lineno}" if ours else "?"
                built[f"{getattr(self.query.model, '__name__', '?')} @ {at}"].append(spent)

    SQLCompiler.as_sql = timed  # type: ignore[assignment]
    try:
        for _ in range(repeats):
            client.get(url)
    finally:
        SQLCompiler.as_sql = original  # type: ignore[method-assign]
    total = sum(sum(times) for times in built.values()) / repeats
    print(f"building SQL, per request: {total:.2f} ms")
    for key, times in sorted(built.items(), key=lambda row: -sum(row[1])):
        print(f"{sum(times) / repeats:7.3f} ms  x{len(times) // repeats:<3} {key}")


class _Clocks:
    """This thread's CPU time in the queries (``QuerySet._fetch_all`` and any other
    ``SQLCompiler.execute_sql``: building the SQL, running it, making the rows into
    objects) and in rendering templates, and the queries' share run inside rendering
    (querysets are lazy: a template's loop runs its query)."""

    def __init__(self) -> None:
        self.queries = self.rendering = self.queries_rendering = 0.0
        self._fetching = self._rendering = 0

    def install(self) -> Callable[[], None]:
        from django.db.models.query import QuerySet
        from django.db.models.sql.compiler import SQLCompiler
        from django.template.backends.django import Template

        originals = (QuerySet._fetch_all, SQLCompiler.execute_sql, Template.render)
        fetch_all, execute_sql, render = originals

        def query(run: Callable[[], Any]) -> Any:
            if self._fetching:  # a query inside a query's own timing
                return run()
            self._fetching += 1
            started = time.thread_time()
            try:
                return run()
            finally:
                self._fetching -= 1
                spent = time.thread_time() - started
                self.queries += spent
                if self._rendering:
                    self.queries_rendering += spent

        def rendered(template: Any, *args: Any, **kwargs: Any) -> Any:
            self._rendering += 1
            started = time.thread_time()
            try:
                return render(template, *args, **kwargs)
            finally:
                self._rendering -= 1
                if not self._rendering:  # the outermost template only
                    self.rendering += time.thread_time() - started

        QuerySet._fetch_all = lambda qs: query(lambda: fetch_all(qs))  # type: ignore[method-assign,assignment]
        SQLCompiler.execute_sql = lambda compiler, *a, **k: query(  # type: ignore[method-assign,assignment]
            lambda: execute_sql(compiler, *a, **k)
        )
        Template.render = rendered  # type: ignore[method-assign,assignment]

        def uninstall() -> None:
            QuerySet._fetch_all, SQLCompiler.execute_sql, Template.render = originals  # type: ignore[method-assign]

        return uninstall

    def reset(self) -> None:
        self.queries = self.rendering = self.queries_rendering = 0.0


def _split(world: scale.World, pages: str, role: str, repeats: int) -> None:
    from django.conf import settings
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = scale.__name__  # the floor's URL with the site's
    clear_url_caches()
    viewer = world.roles[role]
    client = Client()
    client.force_login(viewer.user)
    names = list(scale.PAGES) if pages == "all" else [p.strip() for p in pages.split(",")]
    clocks = _Clocks()
    uninstall = clocks.install()

    def measure(url: str) -> tuple[float, float, float, float]:
        for _ in range(3):
            client.get(url)
        clocks.reset()
        started = time.thread_time()
        for _ in range(repeats):
            client.get(url)
        total = (time.thread_time() - started) * 1000 / repeats
        queries = clocks.queries * 1000 / repeats
        engine = (clocks.rendering - clocks.queries_rendering) * 1000 / repeats
        return total, queries, engine, total - queries - engine

    try:
        floor = measure(scale.FLOOR_URL)[0]
        print(f"as {role}, CPU ms a request ({repeats} requests); the floor: {floor:.2f}")
        print("0.5 of the floor's throughput leaves a page the floor's cost again on top.")
        print(f"{'page':<20}{'total':>8}{'queries':>9}{'templates':>11}{'rest':>7}{'x floor':>9}")
        for name in names:
            url = scale.PAGES[name](viewer)
            if url is None:
                continue
            total, queries, engine, rest = measure(url)
            print(
                f"{name:<20}{total:>8.2f}{queries:>9.2f}{engine:>11.2f}{rest:>7.2f}"
                f"{floor / total:>9.2f}"
            )
    finally:
        uninstall()
    print(
        "templates: Django's template engine alone (rendering, less the queries run in "
        "it); rest: the request with its middleware, the view's code, building querysets."
    )


if __name__ == "__main__":
    main()
