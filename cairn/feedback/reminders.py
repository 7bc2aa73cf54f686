"""The reminder before a feedback request is due, run by the scheduler
(``cairn.lib.schedule``; ``python -m cairn scheduler``).

``due_soon`` tells each person still asked (status waiting) once, from
``REMIND_DAYS`` days before the due date until it passes (``Kind.FEEDBACK_DUE_SOON``:
the asker's name, never the questions). The key ``feedback-due-soon:<ask>`` makes a
pass run twice, or by two schedulers, tell nobody twice. The keys already used are
read in one query for the whole pass; only the asks not yet told — each once in its
life — cost a ``notify`` each.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.urls import reverse

from cairn.feedback.models import FeedbackAsk
from cairn.lib.schedule import periodic
from cairn.notifications.models import Kind, Notification
from cairn.notifications.services import notify

log = logging.getLogger(__name__)

REMIND_DAYS = 3


def _key(ask: FeedbackAsk) -> str:
    return f"feedback-due-soon:{ask.pk}"


@periodic("feedback.due-soon", every=dt.timedelta(hours=1))
def due_soon(now: dt.datetime) -> int:
    """Returns how many were told."""
    today = now.astimezone(dt.UTC).date()
    asks = list(
        FeedbackAsk.objects.waiting()
        .filter(
            request__due_on__gte=today,
            request__due_on__lte=today + dt.timedelta(days=REMIND_DAYS),
            person__user__is_active=True,
        )
        .select_related("person__user", "request__asker")
        .order_by("pk")
    )
    used = set(
        Notification.objects.filter(key__in=[_key(a) for a in asks]).values_list("key", flat=True)
    )
    told = 0
    for ask in asks:
        if _key(ask) in used or ask.person is None:
            continue
        if notify(
            ask.person,
            Kind.FEEDBACK_DUE_SOON,
            title=f"{ask.request.asker.name}'s request for your feedback is due soon",
            url=reverse("feedback:answer", args=[ask.code]),
            key=_key(ask),
            subject=ask,
        ):
            told += 1
    log.info("feedback.due_soon told=%s", told)
    return told
