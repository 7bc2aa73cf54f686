"""Backups of the whole database and their restore: ``python -m cairn backup`` and
``python -m cairn restore`` (``management/commands``), documented in the README's
"Backups".

SQLite is copied with SQLite's online backup API (``sqlite3.Connection.backup``),
which gives a consistent copy while the site and the task worker keep writing;
PostgreSQL with ``pg_dump --format=custom`` and put back with ``pg_restore``. A
backup holds every row, encrypted fields as they are stored (encrypted): the keys
(``CAIRN_ENCRYPTION_KEYS`` or ``var/encryption.key``) are not in it and must be kept
apart from it — without them a backup's private text cannot be read, which is the
point, and also why losing them loses it.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone


class BackupError(Exception):
    """What went wrong, in words for the person running the command."""


def default_path(now: dt.datetime | None = None) -> Path:
    """``var/backups/cairn-<UTC time>.<sqlite3|dump>``."""
    stamp = (now or timezone.now()).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    return Path(settings.VAR_DIR) / "backups" / f"cairn-{stamp}.{suffix}"


def pg_tool(name: str) -> str | None:
    """``pg_dump`` or ``pg_restore``: on the PATH, else the newest PostgreSQL's own
    (``/usr/lib/postgresql/<version>/bin``, where ``.ci/run`` finds its server)."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: [int(p) for p in Path(path).parent.name.split(".") if p.isdigit()],
    )
    for folder in reversed(versions):
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    return None


def _pg_args_and_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL tools from Django's settings. The
    password goes in the environment (``PGPASSWORD``), never on the command line,
    where other users of the machine could read it."""
    db: dict[str, Any] = connection.settings_dict
    args: list[str] = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    # No shell: a PostgreSQL tool we found, with arguments from Django's settings.
    result = subprocess.run(  # noqa: S603 (our own tool, our own arguments)
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup(output: Path) -> Path:
    """Write a backup of the whole database to ``output`` (written beside, then
    renamed into place, so a half-written file never has the final name)."""
    # Every row is in it (password hashes, two-factor keys, sessions): the folder
    # made for it and the file itself are the owner's alone, whatever the umask.
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    connection.ensure_connection()
    try:
        if connection.vendor == "sqlite":
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif connection.vendor == "postgresql":
            tool = pg_tool("pg_dump")
            if tool is None:
                raise BackupError("pg_dump was not found: install PostgreSQL's client tools.")
            args, env = _pg_args_and_env()
            name = str(connection.settings_dict["NAME"])
            _run([tool, "--format=custom", "--file", str(partial), *args, name], env)
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return output


def _check_sqlite_file(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (verdict,) = source.execute("PRAGMA integrity_check").fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite backup: {error}.") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}.")


def restore(path: Path) -> None:
    """Replace the whole database with the backup at ``path``.

    SQLite: the backup is checked whole first (``PRAGMA integrity_check``), then
    copied into the live database with the backup API, in one step that readers see
    either before or after — not by renaming a file over the live one, which would
    leave the old database's write-ahead log (``-wal``) to be replayed onto it.
    PostgreSQL: ``pg_restore --clean --if-exists --no-owner --single-transaction``,
    so a restore that fails part-way changes nothing."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    if connection.vendor == "sqlite":
        _check_sqlite_file(path)
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        tool = pg_tool("pg_restore")
        if tool is None:
            raise BackupError("pg_restore was not found: install PostgreSQL's client tools.")
        args, env = _pg_args_and_env()
        name = str(connection.settings_dict["NAME"])
        # Our own connection holds no locks the restore would wait for.
        connection.close()
        _run(
            [
                tool,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "--dbname",
                name,
                str(path),
            ],
            env,
        )
    else:
        raise BackupError(f"Restores of {connection.vendor} databases are not supported.")
