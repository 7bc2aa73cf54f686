"""A session's time is shown in the reader's own time zone: the same session, read by
its two parties in London and in Tokyo."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from cairn.coaching.tests.factories import make_session, one_on_one
from cairn.testing import Cast, client_for, html


def test_each_party_sees_the_session_time_in_their_own_zone(cast: Cast) -> None:
    cast.report.time_zone = "Asia/Tokyo"
    cast.report.save()
    when = dt.datetime(2030, 6, 4, 9, 15, tzinfo=dt.UTC)  # 10:15 in London (BST), 18:15 in Tokyo
    session = make_session(one_on_one(cast.manager, cast.report), when=when)
    url = reverse("coaching:session", args=[session.code])
    tokyo = html(client_for(cast.report).get(url))
    london = html(client_for(cast.manager).get(url))
    assert "18:15" in tokyo
    assert "10:15" not in tokyo
    assert "10:15" in london
    assert "18:15" not in london
