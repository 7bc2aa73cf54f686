"""The email of one notification, sent at once (``Channel.EMAIL``). A stub until the
templates land: subject and text name the kind and link to it, nothing more."""

from __future__ import annotations

from django.conf import settings

from cairn.mail.services import queue_email
from cairn.notifications.models import Notification


def email_now(notification: Notification) -> None:
    link = f"{settings.CAIRN_BASE_URL}{notification.url}"
    queue_email(
        key=f"notification:{notification.pk}",
        to=notification.recipient.user.email,
        subject=f"Cairn: {notification.title}",
        text=f"{notification.title}\n\n{link}\n",
    )
