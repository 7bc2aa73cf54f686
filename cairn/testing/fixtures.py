"""The pytest fixtures every app's tests share, a plugin registered by the root
``conftest.py``: fast test settings for the whole session, data built once per module
(``module_db``), the named ``cast``, and built-in rows restored after a flush."""

from __future__ import annotations

import contextlib
import copy
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import AppConfig
from django.db import connection, transaction
from django.db.models.signals import post_migrate
from django.test.utils import override_settings

from cairn.testing.cast import Cast, make_cast

# The key the suite encrypts with (cairn.trust.crypto), so that no test reads or
# writes the development key under var/. A test of rotation overrides it.
TEST_ENCRYPTION_KEY = "Ps4BrjcfWOnAs97DdbYJZoQr-PpbSRqaOaZwp3iNEBw="


def _restore_builtins(sender: AppConfig, **kwargs: Any) -> None:
    """A test that commits (a browser test) ends with Django's ``flush``, which empties
    every table, the rows data migrations loaded too (session templates, ladders,
    tags, questions); the next test on that worker would find none. ``flush`` sends
    ``post_migrate`` for each app afterwards, so each app restores its own built-ins
    here, through its ``AppConfig.reload_builtins``. (Only in tests: in production,
    data migrations load them, and ``migrate`` to an earlier state must not.)"""
    if kwargs.get("plan") is not None:
        # A migrate command (the test database's creation, or a test migrating to
        # an earlier state): data migrations load the built-ins, and current models
        # may not fit an earlier schema. Flush sends no plan.
        return
    reload_builtins = getattr(sender, "reload_builtins", None)
    if reload_builtins is not None:
        reload_builtins()


def pytest_configure(config: pytest.Config) -> None:
    post_migrate.connect(_restore_builtins, dispatch_uid="cairn.testing.restore_builtins")


@pytest.fixture(scope="session", autouse=True)
def _fast_and_quiet() -> Iterator[None]:
    # Session-wide (not per test), so that data built once per module (see
    # ``module_db``) is built with the same settings as the tests' own.
    with override_settings(
        # Argon2 is deliberately slow; tests don't need it to be.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ENCRYPTION_KEYS=[TEST_ENCRYPTION_KEY],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_caches() -> None:
    """The sign-in throttle counts failures in the cache (cairn.people.throttle), and
    the leaders' insights keep what they counted in another (cairn.insights.counted):
    each test starts with neither, so one test's wrong passwords never lock another's,
    nor its figures show in another's pages."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()


@contextlib.contextmanager
def _module_transaction(django_db_blocker: Any) -> Iterator[None]:
    """Open a transaction for a module's shared rows and roll it back afterwards; the
    database is reachable only while opening and closing it."""
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_db(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[None]:
    """A transaction around a whole module, for data built once and shared by its
    tests (Django's ``setUpTestData``): a module fixture that depends on this one
    builds its rows under ``django_db_blocker.unblock()``; each test still runs in its
    own savepoint (the ``db`` fixture), so what one test writes is gone before the
    next, and everything is rolled back when the module ends. Not for a module with
    a test that commits (a browser test): its flush would empty the module's rows
    inside the open transaction, so such a module is refused at once."""
    committing = [item.name for item in request.session.items if _commits(item, request.module)]
    if committing:
        raise pytest.UsageError(
            f"module_db cannot serve {request.module.__name__}: {', '.join(committing)} "
            "commits and flushes. Move those tests to a module of their own."
        )
    with _module_transaction(django_db_blocker):
        yield


def _commits(item: pytest.Item, module: object) -> bool:
    """Whether ``item`` is a test of ``module`` that commits (and so flushes)."""
    if getattr(item, "module", None) is not module:
        return False
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and bool(marker.kwargs.get("transaction"))
    return transactional or "live_server" in names or "transactional_db" in names


@pytest.fixture(scope="module")
def _module_cast(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[Cast | None]:
    """One cast per module, rolled back when the module ends (as ``module_db``), since
    making it is most of the cost of most tests. None where a test in the module
    commits (a browser test): it flushes the database, so makes its cast itself."""
    if any(_commits(item, request.module) for item in request.session.items):
        yield None
        return
    with _module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            shared = make_cast()
        yield shared


@pytest.fixture
def cast(_module_cast: Cast | None, db: None) -> Cast:
    """The named cast (see ``make_cast``). The rows are the module's, and what a test
    writes is rolled back with the test; the objects are a copy of the test's own."""
    if _module_cast is None:
        return make_cast()
    return copy.deepcopy(_module_cast)


@pytest.fixture
def file_backed_sqlite(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """On SQLite, race on a database file, as the site runs on, not on the test
    run's in-memory database: threads share an in-memory database through SQLite's
    shared cache, whose table locks fail at once ("database table is locked")
    instead of waiting as a file's locks do. The in-memory database is copied to a
    file for the test (with what migrations loaded) and is back afterwards."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():  # type: ignore[attr-defined]
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "race.sqlite3"
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()
    name = connection.settings_dict["NAME"]
    memory = connection.connection
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            if cursor.fetchone()[0] != "wal":  # settings' init_command, as in production
                raise RuntimeError("The race's database file is not in WAL mode.")
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory
