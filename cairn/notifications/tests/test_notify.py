"""notify(): one event, one notification; the person's choice of channel decides
whether it is kept and whether an email is queued; a subject nobody may still see
hides the notification."""

from __future__ import annotations

import pytest

from cairn.mail.models import OutgoingEmail
from cairn.notifications import registry
from cairn.notifications.models import Channel, Kind, Notification, Preference
from cairn.notifications.services import notify
from cairn.testing import Cast

pytestmark = pytest.mark.django_db


def tell(cast: Cast, key: str = "k1", kind: Kind = Kind.ACTION_ASSIGNED) -> Notification | None:
    return notify(
        cast.report, kind, title="Maria Manager gave you an action item", url="/x/", key=key
    )


def test_one_event_tells_once(cast: Cast) -> None:
    assert tell(cast) is not None
    assert tell(cast) is None
    assert Notification.objects.filter(recipient=cast.report).count() == 1


def test_a_kind_switched_off_keeps_nothing(cast: Cast) -> None:
    Preference.objects.create(person=cast.report, kind=Kind.ACTION_ASSIGNED, channel=Channel.OFF)
    assert tell(cast) is None
    assert not Notification.objects.exists()


def test_email_now_queues_one_email_with_title_and_link(cast: Cast) -> None:
    Preference.objects.create(person=cast.report, kind=Kind.ACTION_ASSIGNED, channel=Channel.EMAIL)
    tell(cast)
    tell(cast)
    [email] = OutgoingEmail.objects.all()
    assert email.to == cast.report.user.email
    assert "Maria Manager gave you an action item" in email.subject
    assert "/x/" in email.text


def test_in_app_queues_no_email(cast: Cast) -> None:
    tell(cast)
    assert not OutgoingEmail.objects.exists()


def test_a_subject_type_nobody_registered_is_shown_to_nobody(cast: Cast) -> None:
    row = notify(
        cast.report, Kind.ACTION_ASSIGNED, title="t", url="/x/", key="k2", subject=cast.manager
    )
    assert row is not None
    assert registry.still_visible(cast.report, [row]) == []
    plain = tell(cast, key="k3")
    assert registry.still_visible(cast.report, [plain]) == [plain]  # type: ignore[list-item]
