"""What every app's ``portable.py`` writes into a person's export the same way."""

from __future__ import annotations

import datetime as dt


def iso_utc(moment: dt.datetime | None) -> str | None:
    """A moment as the export writes it: ISO 8601 in UTC, or None."""
    return moment.astimezone(dt.UTC).isoformat() if moment is not None else None
