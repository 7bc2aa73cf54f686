from __future__ import annotations

from cairn.coaching.tests.factories import one_on_one
from cairn.testing import Cast, client_for


def test_reporting_line_starts_a_one_on_one(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    response = client_for(cast.report).get("/")
    assert response.status_code == 200
    assert engagement.giver.name in response.content.decode()
