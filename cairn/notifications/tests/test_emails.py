"""The email of a notification, delivered to a real SMTP server on loopback and read
back: subject and body name the kind of thing and link to it (absolute), in a text
and an HTML part, with the date in the recipient's time zone; what the thing holds
never reaches it; one event, one email."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.test import override_settings

from cairn.notifications import registry
from cairn.notifications.emails import recipient_time_zone
from cairn.notifications.models import Channel, Kind, Preference
from cairn.notifications.services import notify
from cairn.testing import Cast
from cairn.testing.smtp import SMTPSink, part

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 9, 5, tzinfo=dt.UTC)
CANARY = "CANARY-dreams-7f3a"
TITLE = "Riley Report shared a development plan with you"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def plans_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check for plans, as growth registers one (this app may not import growth)."""
    monkeypatch.setitem(registry._checks, "growth.developmentplan", lambda viewer, ids: set(ids))


def everything(message: EmailMessage) -> str:
    return (
        "\n".join(
            [str(message["Subject"]), part(message, "text/plain"), part(message, "text/html")]
        )
        + message.as_string()
    )


@override_settings(CAIRN_BASE_URL="https://cairn.example.org")
def test_the_email_names_the_kind_links_to_it_and_keeps_the_plan_out(
    cast: Cast,
    smtp_server: SMTPSink,
    clock: time_machine.Traveller,
    plans_visible: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    plan_model = apps.get_model("growth", "developmentplan")
    plan = plan_model.objects.create(owner=cast.report, dreams=CANARY, become=CANARY)
    Preference.objects.create(person=cast.manager, kind=Kind.SHARED_WITH_YOU, channel=Channel.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):  # the same event twice
            notify(
                cast.manager,
                Kind.SHARED_WITH_YOU,
                title=TITLE,
                url="/growth/plans/shared/",
                key=f"shared:{plan.pk}:{cast.manager.pk}",
                subject=plan,
            )
        assert smtp_server.messages == []
    [message] = smtp_server.wait_for(1)
    assert message["To"] == cast.manager.user.email
    assert message["Subject"] == f"Cairn: {TITLE}"
    text, html = part(message, "text/plain"), part(message, "text/html")
    for body in (text, html):
        assert TITLE in body
        assert "A plan, mission statement or assessments shared with you" in body
        assert "https://cairn.example.org/growth/plans/shared/" in body
        assert "Monday 1 June 2026, 10:05 BST" in body  # London, the default
    assert '<a href="https://cairn.example.org/growth/plans/shared/">' in html
    assert CANARY not in everything(message)


def test_dates_are_in_the_recipients_time_zone(
    cast: Cast,
    smtp_server: SMTPSink,
    clock: time_machine.Traveller,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # A person's own zone wins over their organisation's.
    cast.report.time_zone = "Asia/Tokyo"
    assert recipient_time_zone(cast.report) == "Asia/Tokyo"
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            cast.report,
            Kind.REQUEST_RECEIVED,
            title="Pat Peer asked you to mentor them",
            url="/m/",
            key="r1",
        )
    [message] = smtp_server.wait_for(1)
    assert "Monday 1 June 2026, 18:05 JST" in part(message, "text/plain")
    assert "18:05 JST" in part(message, "text/html")


def test_a_name_is_escaped_in_the_html_and_plain_in_the_text(
    cast: Cast, smtp_server: SMTPSink, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            cast.report,
            Kind.REQUEST_RECEIVED,
            title="Pat <b>Peer</b> & co asked you to mentor them",
            url="/m/",
            key="r1",
        )
    [message] = smtp_server.wait_for(1)
    assert "Pat <b>Peer</b> & co asked" in part(message, "text/plain")
    assert "Pat &lt;b&gt;Peer&lt;/b&gt; &amp; co asked" in part(message, "text/html")
    assert "<b>" not in part(message, "text/html")
