"""The leader goes first: which side of a session the viewer is on, what each side is
prompted with, and the practice tips for the leader.

The person who leads a session is the engagement's giver (the manager, coach or
mentor). Each template section has prompts for the other party and, when the
practice calls for it, prompts for the leader — what to share about themselves
first (``TemplateSection.leader_prompts``). A section without them shows the same
prompts to both.

A template's tips are for the leader alone, never in a counseling session, and each
person may put them away for a template and bring them back
(``LeaderTipsDismissal``). "Ask before you advise" is added only where the agreement
in force asks the giver not to advise (``agreements.advice_welcome``); a one-on-one
has no agreement and never gets it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils import timezone

from cairn.coaching.agreements import advice_welcome
from cairn.coaching.builtin_templates import ASK_BEFORE_ADVISING
from cairn.coaching.models import (
    EngagementKind,
    LeaderTipsDismissal,
    Session,
    TemplateSection,
)
from cairn.lib.access import require
from cairn.people.models import Person

log = logging.getLogger(__name__)


def leads(viewer: Person, session: Session) -> bool:
    """Whether the viewer leads the session: the engagement's giver."""
    return session.engagement.giver_id == viewer.pk


@dataclass(frozen=True)
class SectionForViewer:
    """A template section as one side of the session reads it."""

    section: TemplateSection
    prompts: list[str]


def sections_for(viewer: Person, session: Session) -> list[SectionForViewer]:
    """The session's template sections with the prompts for the viewer's side. One
    query."""
    leader = leads(viewer, session)
    return [
        SectionForViewer(section, section.prompts_for(leads=leader))
        for section in TemplateSection.objects.filter(template_id=session.template_id)
    ]


@dataclass(frozen=True)
class LeaderTips:
    tips: list[str]
    hidden: bool


def can_see_tips(viewer: Person, session: Session) -> bool:
    """The leader, outside counseling."""
    return leads(viewer, session) and session.engagement.kind != EngagementKind.COUNSELING


def leader_tips(viewer: Person, session: Session) -> LeaderTips | None:
    """The tips the leader sees for the session's template, and whether they put
    them away; ``None`` for the other party, in counseling and for a template
    without tips. At most two queries (whether they are put away; the agreement's
    advice term)."""
    if not can_see_tips(viewer, session):
        return None
    tips = list(session.template.tips or [])
    if not tips:
        return None
    engagement = session.engagement
    if engagement.needs_agreement and not advice_welcome(engagement):
        tips.append(ASK_BEFORE_ADVISING)
    hidden = LeaderTipsDismissal.objects.filter(
        person=viewer, template_id=session.template_id
    ).exists()
    return LeaderTips(tips=tips, hidden=hidden)


TIPS_CHOICE_ERROR = "Choose whether to hide the tips or show them."


class TipsForm(forms.Form):
    """Hide the tips (``1``) or show them again (``0``): the two buttons post it."""

    hidden = forms.TypedChoiceField(
        choices=[("1", "Hide"), ("0", "Show")],
        coerce=lambda value: value == "1",
        error_messages={"required": TIPS_CHOICE_ERROR, "invalid_choice": TIPS_CHOICE_ERROR},
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        # The field is a hidden input: say what went wrong above the buttons.
        for error in self.errors.pop("hidden", []):
            self.add_error(None, error)
        return cleaned


@transaction.atomic
def set_tips_hidden(actor: Person, session: Session, *, hidden: bool) -> None:
    """The leader puts the template's tips away (``hidden``) or brings them back.
    Doing it twice is the same as once."""
    require(can_see_tips(actor, session))
    if hidden:
        LeaderTipsDismissal.objects.get_or_create(
            person=actor,
            template_id=session.template_id,
            defaults={"dismissed_at": timezone.now()},
        )
    else:
        LeaderTipsDismissal.objects.filter(person=actor, template_id=session.template_id).delete()
    log.info(
        "leader_tips.%s actor=%s template=%s",
        "hidden" if hidden else "shown",
        actor.pk,
        session.template_id,
    )
