"""people 0006 marks the accounts of a demo built before it: production mode must
refuse the public password on an upgraded site too (people/checks.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("people", "0005_time_zones")]
AFTER = [("people", "0006_accounts")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_an_older_demos_public_password_is_marked_and_nothing_else() -> None:
    latest: list[tuple[str, str]] = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE)
        organisation = apps.get_model("people", "Organisation")
        user = apps.get_model("people", "User")
        person = apps.get_model("people", "Person")
        demo = organisation.objects.create(name="Northwind Engineering", slug="northwind")
        other = organisation.objects.create(name="Acme", slug="acme")
        public, own = make_password("cairn-demo"), make_password("a private one")
        for username, org, password in [
            ("dana", demo, public),
            ("helena", demo, public),
            ("changed", demo, own),
            ("elsewhere", other, public),  # not the demo's: nobody knows it is public
        ]:
            account = user.objects.create(username=username, password=password)
            person.objects.create(user=account, organisation=org, name=username.title())
        _migrate(AFTER)
    finally:
        _migrate(latest)
    from cairn.people.models import User

    marked = set(User.objects.filter(demo_password=True).values_list("username", flat=True))
    assert marked == {"dana", "helena"}
