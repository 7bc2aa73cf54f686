"""A backup holds every row (password hashes, two-factor keys, sessions): the file,
and the folder it is made in, are the owner's alone, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from cairn.lib import backups

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_backup_file_and_its_folder_are_the_owners_alone(tmp_path: Path, open_umask: None) -> None:
    if connection.vendor == "postgresql" and backups.pg_tool("pg_dump") is None:
        pytest.skip("pg_dump not installed")
    output = tmp_path / "backups" / "cairn.backup"
    written = backups.backup(output)
    assert stat.S_IMODE(written.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE(output.parent.stat().st_mode) & 0o077 == 0
