"""Engagements proposed before agreements existed get a first version, so that every
engagement of a kind that needs one has one: a pending version for those still
proposed, an accepted one for those already agreed, a lapsed one for those closed
without ever being agreed. The terms say honestly that they were not written down."""

from __future__ import annotations

from typing import Any

from django.db import migrations

LEGACY_PURPOSE = (
    "Agreed before Cairn kept agreements. Propose an amendment to write down what you "
    "agreed: the purpose, how often you meet, and how it ends."
)
LEGACY_CONFIDENTIALITY = (
    "Private notes are for their author alone; shared notes and action items are for "
    "both of you. Nothing is shown to anyone else."
)


def backfill(apps: Any, schema_editor: Any) -> None:
    Engagement = apps.get_model("coaching", "Engagement")
    AgreementVersion = apps.get_model("coaching", "AgreementVersion")
    versions = []
    for engagement in (
        Engagement.objects.exclude(kind="one_on_one")
        .filter(agreement_versions__isnull=True)
        .iterator()
    ):
        other_id = (
            engagement.receiver_id
            if engagement.proposed_by_id == engagement.giver_id
            else engagement.giver_id
        )
        agreed = engagement.agreed_at is not None
        status = (
            "accepted" if agreed else ("lapsed" if engagement.status == "closed" else "pending")
        )
        versions.append(
            AgreementVersion(
                engagement_id=engagement.pk,
                number=1,
                purpose=LEGACY_PURPOSE,
                cadence=engagement.cadence,
                confidentiality=LEGACY_CONFIDENTIALITY,
                sponsor_sees="nothing",
                ending="when_either_asks",
                status=status,
                proposed_by_id=engagement.proposed_by_id,
                proposed_at=engagement.created_at,
                accepted_by_id=other_id if agreed else None,
                accepted_at=engagement.agreed_at if agreed else None,
            )
        )
    AgreementVersion.objects.bulk_create(versions, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("coaching", "0004_agreements_and_debriefs")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
