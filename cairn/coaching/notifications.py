"""Whether a recipient may still see what coaching told them about
(``cairn.notifications.registry``): the engagement, the agreement version and the
action item, each through its ``visible_to`` — a counseling engagement and all that
belongs to it stay between its two parties."""

from __future__ import annotations

from cairn.coaching.models import ActionItem, AgreementVersion, Engagement
from cairn.notifications.registry import visible_subjects
from cairn.people.models import Person


@visible_subjects("coaching.engagement")
def engagements(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        Engagement.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )


@visible_subjects("coaching.agreementversion")
def agreement_versions(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        AgreementVersion.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )


@visible_subjects("coaching.actionitem")
def action_items(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        ActionItem.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )
