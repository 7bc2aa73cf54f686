"""Engagements from before agreements existed get a first version from the data
migration, so every engagement of a kind that needs one has one."""

from __future__ import annotations

import importlib

from django.apps import apps

from cairn.coaching import services
from cairn.coaching.models import AgreementVersion, EngagementKind, EngagementStatus, VersionStatus
from cairn.coaching.tests.factories import make_engagement, one_on_one
from cairn.testing import Cast

backfill = importlib.import_module(
    "cairn.coaching.migrations.0005_agreements_for_existing_engagements"
).backfill


def test_backfill_gives_older_engagements_a_first_version(cast: Cast) -> None:
    waiting = make_engagement(cast.coach, cast.report, agreed=False)
    agreed = make_engagement(cast.coach, cast.peer, EngagementKind.MENTORING)
    never = make_engagement(cast.coach, cast.manager, agreed=False)
    services.close_engagement(cast.coach, never)
    AgreementVersion.objects.all().delete()  # as before the migration

    backfill(apps, None)
    backfill(apps, None)  # running twice adds nothing

    agreed.refresh_from_db()
    assert agreed.status == EngagementStatus.AGREED
    first = agreed.agreement_versions.get()
    assert (first.status, first.accepted_by, first.accepted_at) == (
        VersionStatus.ACCEPTED,
        cast.peer,
        agreed.agreed_at,
    )
    assert waiting.agreement_versions.get().status == VersionStatus.PENDING
    assert never.agreement_versions.get().status == VersionStatus.LAPSED
    assert not one_on_one(cast.manager, cast.report).agreement_versions.exists()
    # The waiting one is accepted the usual way.
    services.accept_engagement(cast.report, waiting)
    waiting.refresh_from_db()
    assert waiting.status == EngagementStatus.AGREED
