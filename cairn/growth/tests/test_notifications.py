"""Sharing a mission statement and development plan tells the person it is shared
with — by name, never what the plan says — and taking the share back hides the
notification at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.growth import services
from cairn.notifications import registry
from cairn.notifications.models import Kind, Notification
from cairn.notifications.services import notify
from cairn.testing import Cast

pytestmark = pytest.mark.django_db

CANARY = "ibex-canary-5530"


def test_a_share_tells_the_reader_until_it_is_taken_back(cast: Cast) -> None:
    services.save_mission_statement(cast.report, text=CANARY)
    services.save_plan(cast.report, dreams=CANARY, become=CANARY)
    share = services.share(cast.report, cast.coach)
    [row] = Notification.objects.all()
    assert (row.recipient, row.kind) == (cast.coach, Kind.SHARED_WITH_YOU)
    assert row.title == "Riley Report shared their mission statement and development plan with you"
    assert row.url == reverse("growth:shared-plan", args=[cast.report.code])
    assert CANARY not in row.title + row.url
    assert notify(cast.coach, Kind.SHARED_WITH_YOU, title="t", url="/", key=row.key) is None
    assert registry.still_visible(cast.coach, [row]) == [row]
    # Nobody else may see it, the owner included (it is not theirs to read).
    for name in ("report", "manager", "peer", "admin", "hr", "outsider"):
        assert registry.still_visible(getattr(cast, name), [row]) == [], name
    services.unshare(cast.report, share)
    assert registry.still_visible(cast.coach, [row]) == []


def test_sharing_again_after_taking_back_is_a_new_event(cast: Cast) -> None:
    services.unshare(cast.report, services.share(cast.report, cast.coach))
    services.share(cast.report, cast.coach)
    rows = list(Notification.objects.filter(recipient=cast.coach))
    assert len(rows) == 2
    assert [r.pk for r in registry.still_visible(cast.coach, rows)] == [rows[0].pk]
