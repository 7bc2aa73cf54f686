"""Agreements: the terms every engagement kind starts from, in Cairn's own words,
and what each term of the version in force makes the product do.

When an engagement is proposed, its first agreement version is filled in from the
terms of its kind; the two parties then change what they want, as amendments, before
or after they begin. Only the version in force acts — the latest one both parties
accepted; a version waiting to be accepted changes nothing until it is.

Each term of the version in force, and what it makes Cairn do:

- **purpose**: shown to both parties; to the receiver's managers only when "what the
  manager may see" grants purpose and dates (the sponsor summary).
- **cadence**: becomes the engagement's cadence. The next session is suggested one
  interval after the latest, and ending a session with none after it schedules the
  next by it (``services.next_session_time``).
- **confidentiality**: text both parties agreed to. Cairn's own rules (private notes,
  who sees what) hold whatever it says.
- **advice**: decides the ask-don't-tell reminder. The giver is reminded when a note
  reads like advice only while advice is *not* welcome (``advice_welcome``, read by
  ``cairn.library.modes``). A one-on-one has no agreement: its kind's default holds,
  no reminder.
- **what the manager may see**: the sponsor summary, field by field
  (``SPONSOR_FIELDS``, ``policy.get_sponsor_summary_for``): nothing → no summary (404);
  the cadence → its status and how often they meet; purpose and dates → also the
  purpose and the session dates. Counseling grants nothing, ever: its very existence
  stays between the two (the form and the service refuse more, and its agreement says
  "nothing, not even that it exists").
- **how it ends**: after N sessions or on a date, the engagement page counts the
  sessions held and, once the point is reached, says so with a button to close
  (``ending_reached``). Nothing closes by itself: the two decide, or amend to go on.
  When either asks: the close button, there while the engagement is open. However it
  ends, each party writes a debrief.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from cairn.coaching.models import (
    AgreementVersion,
    Ending,
    Engagement,
    EngagementKind,
    SponsorSees,
)


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
        # Counseling works through a specific difficulty, where guidance is part of
        # the help: it asks first, but advice is welcome (no reminder to hold back).
        advice=True,
        ending=Ending.WHEN_EITHER_ASKS,
    ),
}


def terms_for(kind: str, cadence: str | None = None) -> AgreementTerms:
    """The built-in terms of ``kind`` (a kind that needs an agreement), at the
    cadence the engagement was proposed with."""
    terms = _TEMPLATES[kind]
    return replace(terms, cadence=cadence) if cadence else terms


# --- what the version in force makes the product do --------------------------------


def version_in_force(engagement: Engagement) -> AgreementVersion | None:
    """The latest version both parties accepted, or None (none yet, or a one-on-one).
    One query."""
    if not engagement.needs_agreement:
        return None
    return engagement.agreement_versions.accepted().order_by("-number").first()


def advice_welcome(engagement: Engagement) -> bool:
    """Whether the giver may advise, not only ask: the advice term of the version in
    force, or of the kind's built-in terms before one is (never for a one-on-one,
    which has no agreement: its kind decides, in ``cairn.library.modes``)."""
    if not engagement.needs_agreement:
        raise ValueError("A manager one-on-one has no agreement.")
    advice = (
        engagement.agreement_versions.accepted()
        .order_by("-number")
        .values_list("advice", flat=True)
        .first()
    )
    return terms_for(engagement.kind).advice if advice is None else advice


# What each level of "what the manager may see" shows on the sponsor summary, field
# by field. Each level includes the ones before it; "nothing" shows no summary.
SPONSOR_FIELDS: dict[str, frozenset[str]] = {
    SponsorSees.NOTHING: frozenset(),
    SponsorSees.CADENCE: frozenset({"status", "cadence"}),
    SponsorSees.PURPOSE_AND_DATES: frozenset({"status", "cadence", "purpose", "dates"}),
}

# Counseling's "nothing" is more than the other kinds': not even that it exists.
COUNSELING_SPONSOR_WORDS = "Nothing, not even that it exists"
COUNSELING_SPONSOR_REFUSAL = (
    "Counseling stays between the two of you: no manager learns anything of it, "
    "not even that it exists."
)


def sponsor_sees_words(kind: str, sponsor_sees: str) -> str:
    """What the receiver's managers may see, in words true of the kind."""
    if kind == EngagementKind.COUNSELING:
        return COUNSELING_SPONSOR_WORDS
    return SponsorSees(sponsor_sees).label


def ending_reached(version: AgreementVersion, *, sessions_held: int, today: dt.date) -> bool:
    """Whether the ending the version names has come: so many sessions held, or its
    date reached. Never for "when either asks". Nothing closes by itself: the
    parties decide, and the page says it is time."""
    if version.ending == Ending.AFTER_SESSIONS and version.ends_after_sessions:
        return sessions_held >= version.ends_after_sessions
    if version.ending == Ending.ON_DATE and version.ends_on:
        return today >= version.ends_on
    return False
