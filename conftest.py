from __future__ import annotations

from typing import Any

import pytest

from cairn.testing import Cast, make_cast

pytest_plugins = ["cairn.testing.browser"]


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any) -> None:
    # Argon2 is deliberately slow; tests don't need it to be.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()
