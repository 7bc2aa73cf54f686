"""The demo shows feedback working: Ravi's request has answers he can read (one
signed, three unsigned) and one colleague still asked; nobody was told anything
while it was built."""

from __future__ import annotations

from django.urls import reverse

from cairn.demo.builder import build_demo
from cairn.feedback.models import FeedbackAsk, FeedbackRequest
from cairn.notifications.models import Notification
from cairn.people.models import Person
from cairn.testing import client_for, html


def test_the_demo_has_feedback_to_read(db: None) -> None:
    result = build_demo()
    assert result.counts["feedback_answers"] == 4
    ravi = Person.objects.get(user__username="ravi")
    request = FeedbackRequest.objects.get(asker=ravi)
    page = html(client_for(ravi).get(reverse("feedback:request", args=[request.code])))
    assert "Tomasz Kowalski" in page
    assert "Calm, even when the discussion gets heated." in page
    assert "4 of 5 have answered" in page
    marcus = Person.objects.get(user__username="marcus")
    waiting = FeedbackAsk.objects.get(request=request, person=marcus)
    response = client_for(marcus).get(reverse("feedback:answer", args=[waiting.code]))
    assert response.status_code == 200
    assert not Notification.objects.filter(kind__startswith="feedback").exists()
