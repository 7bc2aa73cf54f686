from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")

application = get_wsgi_application()


def _refuse_insecure_accounts() -> None:
    """A WSGI server runs no system checks; in production mode the application runs
    the accounts' (``cairn.people.checks``) as it starts, and will not start while
    one fails, nor without the cache tables (the sign-in throttle counts in one)."""
    from django.conf import settings
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    from cairn.people.checks import TAG

    if not settings.PRODUCTION:
        return
    errors = [m for m in checks.run_checks(tags=[TAG]) if m.is_serious()]
    if errors:
        raise ImproperlyConfigured(
            "Refusing to start in production mode: " + " ".join(f"{e.msg} {e.hint}" for e in errors)
        )
    # The sign-in throttle's counters live in the cache's table, the leaders' insights
    # in another (settings.CACHES): both must be there.
    from django.core.cache import caches
    from django.db import DatabaseError

    try:
        for alias in settings.CACHES:
            caches[alias].get("cairn:start")
    except DatabaseError as error:
        raise ImproperlyConfigured(
            "Refusing to start in production mode: the cache table is missing; "
            "run `python -m cairn createcachetable` (after migrate)."
        ) from error


_refuse_insecure_accounts()
