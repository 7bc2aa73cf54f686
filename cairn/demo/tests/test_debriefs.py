"""The demo shows a team debrief working: the Platform team reads the three
reflections of its opened debrief; Ravi's private note is his alone; the director
outside the team gets 404; nobody was told anything while it was built."""

from __future__ import annotations

from django.urls import reverse

from cairn.debriefs.models import GroupDebrief
from cairn.demo.builder import build_demo
from cairn.notifications.models import Notification
from cairn.people.models import Person
from cairn.testing import client_for, html


def test_the_demo_has_a_team_debrief(db: None) -> None:
    result = build_demo()
    assert result.counts["team_debriefs"] == 1
    debrief = GroupDebrief.objects.get()
    url = reverse("debriefs:debrief", args=[debrief.code])
    page = html(client_for(Person.objects.get(user__username="kenji")).get(url))
    assert "Asking for help early is faster than being brave alone." in page
    assert "A game day every quarter." in page
    assert "pairing to be real" not in page
    ravi = html(client_for(Person.objects.get(user__username="ravi")).get(url))
    assert "pairing to be real" in ravi
    assert client_for(Person.objects.get(user__username="nadia")).get(url).status_code == 404
    assert not Notification.objects.filter(kind__startswith="debrief").exists()
