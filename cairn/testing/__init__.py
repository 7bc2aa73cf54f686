"""Test support shared by every app's tests, and by nothing else.

* ``cairn.testing.cast`` — the organisation, teams and people factories, and the
  named ``Cast`` that privacy tests walk;
* ``cairn.testing.http`` — clients signed in as a person, htmx twins, query counts;
* ``cairn.testing.fixtures`` — the shared pytest fixtures: test settings, ``module_db``
  and the ``cast``;
* ``cairn.testing.browser`` — the pytest plugin that drives Debian's Chromium, and
  axe-core's checks;
* ``cairn.testing.stored`` — what the database holds, read with plain SQL (for the
  tests of encryption at rest).

Each app keeps the factories of its own models in ``cairn/<app>/tests/factories.py``,
built on these. It imports only ``cairn.people`` (and ``cairn.lib``), so every app's
tests may use it without breaking the layers; production code never imports it
(import-linter's "test support" contract).
"""

from __future__ import annotations

from cairn.testing.cast import PASSWORD, ROLES, Cast, make_cast, make_org, make_person, make_team
from cairn.testing.http import client_for, count_queries, html, htmx

__all__ = [
    "PASSWORD",
    "ROLES",
    "Cast",
    "client_for",
    "count_queries",
    "html",
    "htmx",
    "make_cast",
    "make_org",
    "make_person",
    "make_team",
]
