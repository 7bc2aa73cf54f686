"""The agreements every engagement kind starts from, in Cairn's own words.

When an engagement is proposed, its first agreement version is filled in from the
terms of its kind; the two parties then change what they want, as amendments, before
or after they begin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from cairn.coaching.models import Ending, EngagementKind, SponsorSees


@dataclass(frozen=True)
class AgreementTerms:
    """What an agreement version says, apart from who proposed and accepted it."""

    purpose: str
    cadence: str
    confidentiality: str
    advice: bool = False
    sponsor_sees: str = SponsorSees.NOTHING
    ending: str = Ending.WHEN_EITHER_ASKS
    ends_after_sessions: int | None = None
    ends_on: dt.date | None = None


_CONFIDENTIAL = (
    "What we say stays between the two of us. Private notes are for their author "
    "alone; shared notes and action items are for both of us. Nothing from these "
    "conversations goes into a performance evaluation."
)

_TEMPLATES: dict[str, AgreementTerms] = {
    EngagementKind.COACHING: AgreementTerms(
        purpose=(
            "Coaching for the receiver's own goals: the coach asks questions that help "
            "them think, and they find their own answers. We start with what is going "
            "well, then what they want to get better at."
        ),
        cadence="fortnightly",
        confidentiality=_CONFIDENTIAL,
        advice=False,
        ending=Ending.AFTER_SESSIONS,
        ends_after_sessions=6,
    ),
    EngagementKind.COMPETENCY_COACHING: AgreementTerms(
        purpose=(
            "Coaching towards a competency the receiver chose: we look at where they "
            "are, agree what good looks like, and practise it with evidence along the way."
        ),
        cadence="fortnightly",
        confidentiality=_CONFIDENTIAL,
        advice=True,
        ending=Ending.AFTER_SESSIONS,
        ends_after_sessions=8,
    ),
    EngagementKind.MENTORING: AgreementTerms(
        purpose=(
            "Mentoring: the mentor passes on what they have learned by walking the path "
            "before, through stories and advice when asked, and the mentee sets the "
            "agenda."
        ),
        cadence="every_four_weeks",
        confidentiality=_CONFIDENTIAL,
        advice=True,
        ending=Ending.WHEN_EITHER_ASKS,
    ),
    EngagementKind.COUNSELING: AgreementTerms(
        purpose=(
            "Counseling through a difficult time: a safe place to talk, at the receiver's pace."
        ),
        cadence="weekly",
        confidentiality=(
            "Everything here stays between the two of us: nobody else, not even a "
            "manager, learns that these conversations take place."
        ),
        advice=False,
        ending=Ending.WHEN_EITHER_ASKS,
    ),
}


def terms_for(kind: str, cadence: str | None = None) -> AgreementTerms:
    """The built-in terms of ``kind`` (a kind that needs an agreement), at the
    cadence the engagement was proposed with."""
    terms = _TEMPLATES[kind]
    return replace(terms, cadence=cadence) if cadence else terms
