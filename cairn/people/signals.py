"""Signals other apps listen to, so people does not need to know about them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that changes a person's manager, with ``person``,
# ``old_manager`` and ``new_manager`` (either may be None).
reporting_line_changed = Signal()

# Sent inside the transaction that asks for a role reading content, with ``grant``
# (the ``RoleGrant`` now waiting) and ``actor`` (the org admin who asked): another
# org admin must confirm it.
role_requested = Signal()
