"""Many people at once, for the tests and benchmarks that prove a page does not grow
with the organisation (thousands of rows in seconds: bulk inserts, no password
hashing, no services — the people are plain members with no roles)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.contrib.auth.hashers import make_password
from django.db import connection

from cairn.people.models import Organisation, Person, Team, User

_serial = itertools.count(1)
# One hash for everyone: hashing is what makes make_person slow.
_PASSWORD_HASH: list[str] = []


def bulk_people(
    organisation: Organisation,
    count: int,
    *,
    managers: Sequence[Person | None] = (None,),
    team: Team | None = None,
    prefix: str = "Bulk",
    batch_size: int = 2000,
) -> list[Person]:
    """``count`` people in ``organisation``, managed in turn by each of ``managers``
    (round robin), all able to log in with the test password."""
    from cairn.testing.cast import PASSWORD

    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(make_password(PASSWORD))
    run = next(_serial)
    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix.lower()}{run}x{i}",
                email=f"{prefix.lower()}{run}x{i}@example.org",
                password=_PASSWORD_HASH[0],
            )
            for i in range(count)
        ],
        batch_size=batch_size,
    )
    manager_cycle = itertools.cycle(managers)
    return Person.objects.bulk_create(
        [
            Person(
                organisation=organisation,
                user=user,
                name=f"{prefix} Person {run}-{i}",
                title="Engineer",
                team=team,
                manager=next(manager_cycle),
            )
            for i, user in enumerate(users)
        ],
        batch_size=batch_size,
    )


# --- an organisation with a year of history (bench/scale.py) ---------------------------


def bulk_tree(
    organisation: Organisation, count: int, *, fan_out: int = 8, prefix: str = "Scale"
) -> list[list[Person]]:
    """``count`` people in a management tree: one head, then levels of ``fan_out``
    times as many, each person managed in turn by the level above. Returns the
    levels, head first; every level but the last manages the next."""
    levels: list[list[Person]] = [bulk_people(organisation, 1, prefix=f"{prefix} Head")]
    made = 1
    while made < count:
        size = min(len(levels[-1]) * fan_out, count - made)
        levels.append(
            bulk_people(organisation, size, managers=levels[-1], prefix=f"{prefix} L{len(levels)}")
        )
        made += size
    return levels


def refresh_statistics() -> None:
    """On PostgreSQL, ANALYZE: what autovacuum does for a production database. Rows a
    test bulk-inserts inside its own transaction are never analysed, and a planner
    that believes the tables empty nests loops over thousands of rows (minutes for a
    query that takes milliseconds on analysed tables). ANALYZE counts the
    transaction's own rows. Its column statistics roll back with the test, but the
    tables' sizes (``pg_class.reltuples``) do not: a later test on the same database
    plans with the sizes this one saw. So every test that builds thousands of rows
    calls this before its requests — without it, the mentoring page-size test ran
    one query for over 17 minutes on CI after an insights test's ANALYZE, holding
    locks that every later flush waited on."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
