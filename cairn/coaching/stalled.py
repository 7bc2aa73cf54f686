"""Stalled engagements: agreed and open, with no session held for twice their agreed
cadence and none still to come (``EngagementQuerySet.stalled``, in SQL so that
insights can count them).

``stalled_engagements`` — once a day, each stall is told to the engagement's two
parties (``Kind.ENGAGEMENT_STALLED``): the other party's name and the kind of
session, never anything said in them. The key names the engagement, the recipient
and when the stall began (the last meeting, or the agreement), so a stall is told
once however often the job runs, and an engagement that meets and stalls again is
told again. Counseling is told to its own two parties like every kind (nobody else
ever hears of it).

The engagement page shows a banner on a stalled engagement (``is_stalled``, from the
sessions the page has read already).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from cairn.coaching.models import (
    STALL_AFTER,
    Cadence,
    Engagement,
    EngagementStatus,
    Session,
)
from cairn.coaching.reminders import SESSION_WORDS, Due, _active, _tell
from cairn.lib.schedule import periodic
from cairn.notifications.models import Kind

log = logging.getLogger(__name__)


def is_stalled(engagement: Engagement, sessions: Iterable[Session], now: dt.datetime) -> bool:
    """What ``Engagement.objects.stalled(now)`` says of ``engagement``, from its
    sessions already read (no query)."""
    if engagement.status not in (EngagementStatus.AGREED, EngagementStatus.ACTIVE):
        return False
    since = engagement.agreed_at or engagement.created_at
    held = [s.met_at for s in sessions if s.met_at is not None]
    for session in sessions:
        if (
            session.completed_at is None
            and session.cancelled_at is None
            and session.scheduled_for > now
        ):
            return False
    if held:
        since = max(held)
    return since < now - STALL_AFTER * Cadence(engagement.cadence).interval


def _engagement_url(code: object) -> str:
    from django.urls import reverse

    return reverse("coaching:engagement", args=[code])


@periodic("coaching.stalled-engagements", every=dt.timedelta(days=1))
def stalled_engagements(now: dt.datetime) -> int:
    """Tell both parties of each newly stalled engagement. Returns how many
    notifications it made."""
    rows = (
        Engagement.objects.stalled(now)  # type: ignore[misc]  # (its annotation)
        .values(
            "id",
            "code",
            "kind",
            "stalled_since",
            "giver_id",
            "giver__name",
            "giver__user__email",
            "receiver_id",
            "receiver__name",
            "receiver__user__email",
        )
        .order_by("id")
    )
    due: list[Due] = []
    for row in rows:
        since = int(row["stalled_since"].timestamp())
        words = SESSION_WORDS.get(row["kind"], "session")
        for side, other in (("giver", "receiver"), ("receiver", "giver")):
            recipient = row[f"{side}_id"]
            due.append(
                Due(
                    recipient_id=recipient,
                    email=row[f"{side}__user__email"],
                    key=f"engagement-stalled:{row['id']}:{recipient}:{since}",
                    title=(
                        f"No {words} with {row[f'{other}__name']} for a while: "
                        "schedule the next one"
                    ),
                    url=_engagement_url(row["code"]),
                    subject_type="coaching.engagement",
                    subject_id=row["id"],
                )
            )
    made = _tell(Kind.ENGAGEMENT_STALLED, _active(due), now)
    log.info("stalled.told engagements=%s notifications=%s", len(due) // 2, made)
    return made
