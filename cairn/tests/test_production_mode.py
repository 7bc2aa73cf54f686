"""Production mode refuses to start while an account still has the demo's public
password — through ``check`` (and so ``migrate`` and ``runserver``) and when the WSGI
application starts — and ``check --deploy`` is clean there."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from cairn.people.checks import demo_passwords
from cairn.people.models import User
from cairn.testing import Cast

PRODUCTION = {
    "CAIRN_PRODUCTION": "1",
    # A key as an operator makes one (Django's deploy check refuses one of few letters).
    "CAIRN_SECRET_KEY": secrets.token_urlsafe(50),
    "CAIRN_ALLOWED_HOSTS": "cairn.example.org",
    "CAIRN_BASE_URL": "https://cairn.example.org",
    "CAIRN_ENCRYPTION_KEYS": "nfCepopKF0Ldi_4LrKB1zGrWZbbOwU5X6c8MKqTDzm4=",
}


def test_the_check_names_the_accounts_and_how_to_fix_it(cast: Cast) -> None:
    user = cast.report.user
    User.objects.filter(pk=user.pk).update(demo_password=True)
    with override_settings(PRODUCTION=True):
        [error] = demo_passwords()
    assert error.id == "cairn.E001"
    assert user.username in error.msg
    assert "changepassword" in (error.hint or "")
    # Outside production mode the demo is the point.
    with override_settings(PRODUCTION=False):
        assert demo_passwords() == []
    # A new password clears the mark, however it is set.
    user.refresh_from_db()
    user.set_password("a-new-and-private-password")
    user.save()
    with override_settings(PRODUCTION=True):
        assert demo_passwords() == []


@pytest.fixture(scope="module")
def production_database(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("production")
    # Nothing of the test run's own: its CAIRN_ settings, nor the browser tests' leave
    # to call the database from async code (which a deployment must never have).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CAIRN_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env = {
        **clean,
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{folder / 'cairn.sqlite3'}",
        "CAIRN_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "cairn.settings",
    }
    migrate = cairn(env, "migrate", "--verbosity", "0")
    assert migrate.returncode == 0, migrate.stderr
    # Without the cache table (where the sign-in throttle counts) it will not start.
    start = python(env, "import cairn.wsgi")
    assert start.returncode != 0
    assert "createcachetable" in start.stderr
    assert cairn(env, "createcachetable").returncode == 0
    return env


def cairn(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (this interpreter, fixed arguments)
        [sys.executable, "-m", "cairn", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )


def python(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (this interpreter, fixed arguments)
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )


SETUP = "import django; django.setup(); from cairn.people.models import User; "


def test_production_refuses_to_start_with_a_demo_password(
    production_database: dict[str, str],
) -> None:
    env = production_database
    made = python(
        env,
        SETUP + "User.objects.create_user('helena', password='cairn-demo', demo_password=True)",
    )
    assert made.returncode == 0, made.stderr

    check = cairn(env, "check")
    assert check.returncode != 0
    assert "cairn.E001" in check.stderr
    assert "helena" in check.stderr
    assert "changepassword" in check.stderr
    start = python(env, "import cairn.wsgi")
    assert start.returncode != 0
    assert "Refusing to start in production mode" in start.stderr
    assert "helena" in start.stderr

    changed = python(
        env,
        SETUP + "u = User.objects.get(username='helena'); "
        "u.set_password('a-new-and-private-password'); u.save()",
    )
    assert changed.returncode == 0, changed.stderr
    assert cairn(env, "check").returncode == 0
    started = python(env, "import cairn.wsgi")
    assert started.returncode == 0, started.stderr


def test_deploy_checks_are_clean_in_production_mode(production_database: dict[str, str]) -> None:
    result = cairn(production_database, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_hsts_subdomains_and_preload_are_settings(production_database: dict[str, str]) -> None:
    show = (
        "import cairn.settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    assert python(production_database, show).stdout.split() == ["31536000", "True", "True"]
    off = {
        **production_database,
        "CAIRN_HSTS_INCLUDE_SUBDOMAINS": "no",
        "CAIRN_HSTS_PRELOAD": "off",
        "CAIRN_HSTS_SECONDS": "600",
    }
    assert python(off, show).stdout.split() == ["600", "False", "False"]
    wrong = python({**production_database, "CAIRN_HSTS_PRELOAD": "maybe"}, show)
    assert wrong.returncode != 0
    assert "CAIRN_HSTS_PRELOAD" in wrong.stderr


def test_the_demo_marks_every_account_it_gives_its_password(db: None) -> None:
    import io

    from django.contrib.auth.hashers import check_password
    from django.core.management import call_command

    from cairn.demo.builder import DEMO_NAME, DEMO_PASSWORD

    call_command("demo", "--allow-production", stdout=io.StringIO())
    demo_accounts = User.objects.filter(person__organisation__name=DEMO_NAME)
    assert demo_accounts.exists()
    assert not demo_accounts.filter(demo_password=False).exists()
    sample = demo_accounts.first()
    assert sample is not None
    assert check_password(DEMO_PASSWORD, sample.password)
    with override_settings(PRODUCTION=True):
        [error] = demo_passwords()
    assert error.id == "cairn.E001"
