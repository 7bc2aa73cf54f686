"""Who sees what of the access log: trust's row of docs/design.md's who-sees-what
table.

| content                         | the person whose thing was read | the reader | anyone else |
|---------------------------------|---------------------------------|------------|-------------|
| access records (who, what kind, | read                            | —          | —           |
|   when, through which page)     |                                 |            |             |

"Anyone else" includes managers, org admins, program admins, the HR role, a Django
superuser (the admin registers no access record) and everyone in another
organisation. Nobody edits or deletes a record through any page: rows are written
by ``services.record_read`` from the views that show someone's content, and deleted
only by the retention job (``tasks.prune_access_log``) once older than
``CAIRN_ACCESS_LOG_RETENTION_DAYS``. A record never holds the content that was read.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cairn.people.models import Person
from cairn.trust.models import AccessRecord, AccessRecordQuerySet

DEFAULT_RETENTION_DAYS = 730


def records_for(viewer: Person) -> AccessRecordQuerySet:
    """The viewer's own access log, newest first: reads of their things by others."""
    return AccessRecord.objects.visible_to(viewer).order_by("-at", "-id")


def retention_days() -> int:
    """How many days a record is kept, from ``CAIRN_ACCESS_LOG_RETENTION_DAYS``.

    Checked again here (settings.py checks the environment variable) so that a value
    set another way — a test's override, a settings module of one's own — is refused
    as clearly."""
    value = getattr(settings, "CAIRN_ACCESS_LOG_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(
            f"CAIRN_ACCESS_LOG_RETENTION_DAYS={value!r} is not a whole number of days: "
            "use a positive integer such as 730 (two years)."
        )
    return value
