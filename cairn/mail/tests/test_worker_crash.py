"""A worker killed in the middle of a batch loses no email and sends none twice.

Real parts throughout: a real ``python -m cairn db_worker`` process, on its own SQLite
file (the test database cannot be shared with another process), hands twenty emails
to a real SMTP server on loopback. While the fourth is being handed over, before the
server has accepted it, the worker is killed with SIGKILL: no clean-up runs, its job
stays "running" in the queue for ever and its claim on the email is never released.
A worker started again later (``--batch``: it runs what is due, then stops) sends the
other sixteen, and the sweep that ``send_unsent_email`` queued at the first start
takes the dead worker's claim once it is ``CLAIM_TIMEOUT`` old and sends the fourth.
Every email arrives exactly once, each with its own Message-ID.

The restart is run fifteen minutes later (``time_machine`` inside that process), as
the sweep would only take the claim then; nothing sleeps.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings

from cairn.mail import tasks
from cairn.testing.smtp import HOST, SMTPSink

COUNT = 20
KILL_AT = 4

SETUP = f"""
import django
django.setup()
from django.core.management import call_command
from django.db import transaction
from cairn.mail.services import queue_email
call_command("migrate", "mail", verbosity=0)
call_command("migrate", "django_tasks_database", verbosity=0)
with transaction.atomic():
    for n in range({COUNT}):
        queue_email(key=f"crash:{{n}}", to=f"person{{n}}@example.org",
                    subject=f"Cairn: email {{n}}", text=f"Email {{n}}")
call_command("send_unsent_email", verbosity=0)  # what `make worker` runs first
"""

LATER = """
import datetime as dt, sys, time_machine
with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=15)):
    import django
    django.setup()
    from django.core.management import call_command
    call_command(*sys.argv[1:])
"""

WORKER = ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.05"]


def environment(tmp_path: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAIRN_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cairn.settings",
        PYTHONPATH=str(settings.BASE_DIR),
        DATABASE_URL=f"sqlite:///{tmp_path / 'cairn.sqlite3'}",
        CAIRN_VAR_DIR=str(tmp_path),
        CAIRN_DEBUG="0",
        CAIRN_LOG_LEVEL="WARNING",
        CAIRN_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        CAIRN_EMAIL_HOST=HOST,
        CAIRN_EMAIL_PORT=str(port),
        CAIRN_EMAIL_TIMEOUT="5",
    )
    return env


def run(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        timeout=60,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_a_worker_killed_mid_batch_loses_no_email_and_sends_none_twice(
    smtp_server: SMTPSink, tmp_path: Path
) -> None:
    env = environment(tmp_path, smtp_server.port)
    run(env, "-c", SETUP)

    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "cairn", *WORKER],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def kill_the_worker_mid_send(number: int) -> str | None:
        if number != KILL_AT:
            return None
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        return "421 Closing"  # never read: the client is dead; not accepted

    smtp_server.before_accept = kill_the_worker_mid_send
    try:
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
    assert len(smtp_server.messages) == KILL_AT - 1
    smtp_server.before_accept = None

    with sqlite3.connect(tmp_path / "cairn.sqlite3") as db:
        stuck = db.execute(
            "SELECT count(*) FROM mail_outgoingemail "
            "WHERE sent_at IS NULL AND claimed_at IS NOT NULL"
        ).fetchone()[0]
        running = db.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        ).fetchone()[0]
    assert (stuck, running) == (1, 1)  # what SIGKILL left behind

    run(env, "-c", LATER, *WORKER, "--batch")

    arrived = smtp_server.wait_for(COUNT, timeout=5)
    subjects = sorted(str(m["Subject"]) for m in arrived)
    assert subjects == sorted(f"Cairn: email {n}" for n in range(COUNT))  # each once
    assert len({m["Message-ID"] for m in arrived}) == COUNT
    with sqlite3.connect(tmp_path / "cairn.sqlite3") as db:
        rows = db.execute("SELECT key, sent_at, attempts, claimed_at FROM mail_outgoingemail")
        state = {
            key: (sent is not None, attempts, claimed) for key, sent, attempts, claimed in rows
        }
        codes = [c for (c,) in db.execute("SELECT code FROM mail_outgoingemail")]
    assert all(sent and claimed is None for sent, _, claimed in state.values())
    # The killed one took a second attempt; every other took one.
    assert sorted(attempts for _, attempts, _ in state.values()) == [1] * (COUNT - 1) + [2]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2]
    assert {m["Message-ID"] for m in arrived} == {f"<{uuid.UUID(c)}@{domain}>" for c in codes}
    assert tasks.CLAIM_TIMEOUT.total_seconds() < 15 * 60
