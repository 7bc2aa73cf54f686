"""Sharing one's competency assessments tells the person they are shared with — by
name, never the evidence — and taking the share back hides the notification."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cairn.mastery import services
from cairn.notifications import registry
from cairn.notifications.models import Kind, Notification
from cairn.notifications.services import notify
from cairn.testing import Cast

pytestmark = pytest.mark.django_db


def test_a_share_tells_the_reader_until_it_is_taken_back(cast: Cast) -> None:
    share = services.share_assessments(cast.report, cast.manager)
    [row] = Notification.objects.all()
    assert (row.recipient, row.kind) == (cast.manager, Kind.SHARED_WITH_YOU)
    assert row.title == "Riley Report shared their competency assessments with you"
    assert row.url == reverse("mastery:person", args=[cast.report.code])
    assert notify(cast.manager, Kind.SHARED_WITH_YOU, title="t", url="/", key=row.key) is None
    assert Notification.objects.count() == 1
    assert registry.still_visible(cast.manager, [row]) == [row]
    for name in ("report", "peer", "coach", "admin", "hr", "outsider"):
        assert registry.still_visible(getattr(cast, name), [row]) == [], name
    services.unshare_assessments(cast.report, share)
    assert registry.still_visible(cast.manager, [row]) == []


def test_a_refused_share_tells_nobody(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="Choose someone from your organisation"):
        services.share_assessments(cast.report, cast.outsider)
    assert not Notification.objects.exists()
