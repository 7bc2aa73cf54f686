"""Production mode refuses to start while any account still has the demo's public
password.

The demo marks every account it gives that password (``User.demo_password``), and
any new password clears the mark (``User.set_password``, which every way of
changing a password goes through). So the check reads only the marked accounts —
one indexed query, however large the organisation — and needs no password hashing
(Argon2 over thousands of accounts would take minutes). A mark left on an account
whose password was changed behind Django's back (a raw SQL update) errs on the safe
side: set the password again with ``changepassword``.

It runs with Django's system checks (``check``, ``migrate``, ``runserver``) and when
the WSGI application starts (``cairn.wsgi``), under the tag :data:`TAG`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

TAG = "cairn_accounts"
NAMES_SHOWN = 5


@checks.register(TAG)
def demo_passwords(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    from cairn.people.models import User

    try:
        names = list(
            User.objects.filter(demo_password=True)
            .order_by("username")
            .values_list("username", flat=True)[: NAMES_SHOWN + 1]
        )
    except DatabaseError:
        return []  # no tables yet (before the first migrate): no accounts either
    if not names:
        return []
    shown = ", ".join(names[:NAMES_SHOWN]) + (", …" if len(names) > NAMES_SHOWN else "")
    return [
        checks.Error(
            f"Accounts still have the demo's public password: {shown}.",
            hint=(
                "Production mode does not start while they do. Set each one a new "
                "password (python -m cairn changepassword USERNAME), or deactivate and "
                "delete the demo organisation's accounts."
            ),
            id="cairn.E001",
        )
    ]
