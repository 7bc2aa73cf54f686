"""Junk input over the agreement, debrief, sponsor summary and proposal routes, as
several cast members: never a server error, never a secret in the answer."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from cairn.coaching.models import SponsorSees
from cairn.coaching.tests.test_agreement_privacy import SECRETS, build
from cairn.testing import Cast

JUNK = ["", "'\"<b>", "a\x00b", str(uuid.uuid4()), "9" * 40, "-1", " "]
FIELDS = [
    "purpose", "cadence", "confidentiality", "advice", "sponsor_sees", "ending",
    "ends_after_sessions", "ends_on", "learnings", "distinctions", "felt", "next_steps",
    "kind", "role", "direction", "other", "template", "scheduled_for",
]  # fmt: skip


@pytest.mark.parametrize("who", ["report", "coach", "manager", "outsider"])
def test_junk_never_gives_a_server_error_nor_a_secret(cast: Cast, who: str) -> None:
    world = build(cast, SponsorSees.PURPOSE_AND_DATES)
    code = world.engagement.code
    version = world.engagement.agreement_versions.order_by("-number").first()
    assert version is not None
    routes = [
        ("get", reverse("coaching:engagement-new")),
        ("post", reverse("coaching:engagement-new")),
        ("get", reverse("coaching:engagement", args=[code])),
        ("post", reverse("coaching:engagement-accept", args=[code])),
        ("post", reverse("coaching:agreement-propose", args=[code])),
        ("post", reverse("coaching:agreement-accept", args=[version.code])),
        ("post", reverse("coaching:debrief-write", args=[code])),
        ("get", reverse("coaching:sponsor-summary", args=[code])),
        ("get", reverse("home")),
    ]
    client = world.client[who]
    client.raise_request_exception = False
    for junk in JUNK:
        data = dict.fromkeys(FIELDS, junk)
        for method, url in routes:
            response = client.get(url, data) if method == "get" else client.post(url, data)
            assert response.status_code < 500, (who, url, repr(junk))
            body = response.content.decode(errors="replace")
            if who not in ("report", "coach"):
                for secret in SECRETS:
                    assert secret not in body, (who, url)
