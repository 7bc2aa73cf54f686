"""Agreements and debriefs in the demo organisation.

The demo builder proposes and accepts its engagements through the services, so each
already has its first agreement version; its history is then set back in time. This
puts the versions' dates in step with it, and adds what a visitor should find:

- Ravi and his mentor Tomasz amended their agreement so that Ravi's manager Marcus
  sees a sponsor summary (the purpose and the session dates), and Tomasz has since
  proposed a change that waits for Ravi.
- Marcus's own coaching with Grace lets his manager Amara see that it is active and
  how often they meet.
- Leo's closed mentoring with Elena has both debriefs.

Deterministic: everything derives from the context's ``now``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from cairn.coaching import services
from cairn.coaching.models import (
    AgreementVersion,
    Debrief,
    Ending,
    Engagement,
    EngagementKind,
    Feeling,
    SponsorSees,
)

if TYPE_CHECKING:
    from cairn.people.seeding import DemoContext

RAVI_PURPOSE = (
    "Grow from a strong individual contributor into someone who leads technical "
    "decisions across the platform team: writing proposals others can build on, and "
    "running design reviews with confidence."
)
MARCUS_PURPOSE = (
    "Find a sustainable rhythm as a manager of managers-to-be: coaching rather than "
    "fixing, and making room for the team's own decisions."
)
LEO_DEBRIEF = {
    "learnings": (
        "Asking for help early is a skill, not a weakness. Elena never gave me the "
        "answer outright, and I learned to arrive with a first attempt."
    ),
    "distinctions": (
        "Being stuck versus being in the uncomfortable middle of learning something. "
        "Reviewing code versus reviewing the decision behind it."
    ),
    "felt": Feeling.TRANSFORMATIONAL,
    "next_steps": "Pair with the next graduate who joins, and write up my first on-call story.",
}
ELENA_DEBRIEF = {
    "learnings": (
        "Leo learns fastest when I stay quiet a little longer. My habit of explaining "
        "the whole system got in the way at first."
    ),
    "distinctions": "Teaching the answer versus teaching how to find it.",
    "felt": Feeling.BETWEEN,
    "next_steps": "Offer to mentor again in the spring cohort.",
}


def _engagement(context: DemoContext, giver: str, receiver: str, kind: str) -> Engagement:
    return Engagement.objects.select_related("giver", "receiver").get(
        organisation=context.organisation,
        giver=context.people[giver],
        receiver=context.people[receiver],
        kind=kind,
    )


def _amend(
    engagement: Engagement, proposer: str, context: DemoContext, at: dt.datetime, **changes: object
) -> AgreementVersion:
    base = services.current_terms(engagement)
    terms = dataclasses.replace(base, **changes)  # type: ignore[arg-type]
    return services.propose_amendment(context.people[proposer], engagement, terms, now=at)


def seed(context: DemoContext) -> Counter[str]:
    counts: Counter[str] = Counter()
    organisation = context.organisation
    # The first versions were proposed when their engagements were, and accepted
    # when they were agreed (the builder set those dates after the fact).
    versions = list(
        AgreementVersion.objects.filter(
            engagement__organisation=organisation, number=1
        ).select_related("engagement")
    )
    for version in versions:
        version.proposed_at = version.engagement.created_at
        if version.accepted_at is not None:
            version.accepted_at = version.engagement.agreed_at
    AgreementVersion.objects.bulk_update(versions, ["proposed_at", "accepted_at"])

    ravi = _engagement(context, "tomasz", "ravi", EngagementKind.MENTORING)
    granted = _amend(
        ravi,
        "ravi",
        context,
        context.now - dt.timedelta(days=40),
        purpose=RAVI_PURPOSE,
        sponsor_sees=SponsorSees.PURPOSE_AND_DATES,
    )
    services.accept_agreement(
        context.people["tomasz"], granted, now=context.now - dt.timedelta(days=39)
    )
    _amend(
        ravi,
        "tomasz",
        context,
        context.now - dt.timedelta(days=1, hours=2),
        ending=Ending.AFTER_SESSIONS,
        ends_after_sessions=12,
    )

    marcus = _engagement(context, "grace", "marcus", EngagementKind.COACHING)
    cadence = _amend(
        marcus,
        "marcus",
        context,
        context.now - dt.timedelta(days=20),
        purpose=MARCUS_PURPOSE,
        sponsor_sees=SponsorSees.CADENCE,
    )
    services.accept_agreement(
        context.people["grace"], cadence, now=context.now - dt.timedelta(days=19)
    )

    leo = _engagement(context, "elena", "leo", EngagementKind.MENTORING)
    closed_at = leo.closed_at or context.now
    debriefs = [
        Debrief(
            engagement=leo,
            author=context.people["leo"],
            written_at=closed_at + dt.timedelta(days=2),
            **LEO_DEBRIEF,
        ),
        Debrief(
            engagement=leo,
            author=context.people["elena"],
            written_at=closed_at + dt.timedelta(days=3, hours=5),
            **ELENA_DEBRIEF,
        ),
    ]
    Debrief.objects.bulk_create(debriefs)

    counts["agreement versions"] = AgreementVersion.objects.filter(
        engagement__organisation=organisation
    ).count()
    counts["debriefs"] = len(debriefs)
    return counts
