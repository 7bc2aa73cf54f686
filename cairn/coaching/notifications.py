"""Whether a recipient may still see what coaching told them about
(``cairn.notifications.registry``): the engagement, the agreement version and the
action item, each through its ``visible_to`` — a counseling engagement and all that
belongs to it stay between its two parties.

What coaching tells of an engagement, an agreement or a session asks something of a live one
(accept it, an amendment to accept, a session tomorrow): once the engagement has
closed there is nothing left to do, so those notifications go. An action item
outlives its engagement (it can still be ticked off), and so does its notification."""

from __future__ import annotations

from cairn.coaching.models import (
    ActionItem,
    AgreementVersion,
    Engagement,
    EngagementStatus,
    Session,
)
from cairn.notifications.registry import visible_subjects
from cairn.people.models import Person


@visible_subjects("coaching.engagement")
def engagements(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        Engagement.objects.visible_to(viewer)
        .filter(pk__in=ids)
        .exclude(status=EngagementStatus.CLOSED)
        .values_list("pk", flat=True)
    )


@visible_subjects("coaching.agreementversion")
def agreement_versions(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        AgreementVersion.objects.visible_to(viewer)
        .filter(pk__in=ids)
        .exclude(engagement__status=EngagementStatus.CLOSED)
        .values_list("pk", flat=True)
    )


@visible_subjects("coaching.session")
def sessions(viewer: Person, ids: set[int]) -> set[int]:
    """A session moved, cancelled or skipped: its two parties, while the engagement
    is open."""
    return set(
        Session.objects.visible_to(viewer)
        .filter(pk__in=ids)
        .exclude(engagement__status=EngagementStatus.CLOSED)
        .values_list("pk", flat=True)
    )


@visible_subjects("coaching.actionitem")
def action_items(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        ActionItem.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )
