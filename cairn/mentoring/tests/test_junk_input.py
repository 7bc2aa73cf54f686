"""Junk input over every mentoring route, as several cast members: never a 500, and
never the challenge text or a sensitive answer in a page that should not have it."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from cairn.mentoring import services
from cairn.mentoring.models import Match
from cairn.mentoring.tests.factories import (
    CHALLENGE,
    enrol_mentee,
    enrol_mentor,
    make_profile,
    make_program,
    make_request,
)
from cairn.testing import Cast, client_for

JUNK: list[str] = [
    "",
    "'\"<script>",
    "a\x00b",
    str(uuid.uuid4()),
    "9" * 40,
    "-1",
    " ",
]
GENDER = "agender-marker-xyz"


def _routes(cast: Cast) -> list[tuple[str, str]]:
    profile = make_profile(cast.coach)
    request = make_request(cast.report, cast.coach)
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach)
    enrol_mentee(program, cast.peer, gender=GENDER, same_gender=False)
    services.run_matching(cast.program_admin, program)
    match = Match.objects.get()
    s = program.slug
    return [
        ("get", reverse("mentoring:directory")),
        ("get", reverse("mentoring:profile-edit")),
        ("post", reverse("mentoring:profile-edit")),
        ("get", reverse("mentoring:profile", args=[profile.code])),
        ("post", reverse("mentoring:request-send", args=[profile.code])),
        ("get", reverse("mentoring:requests")),
        ("get", reverse("mentoring:request", args=[request.code])),
        ("post", reverse("mentoring:request-answer", args=[request.code])),
        ("get", reverse("mentoring:tags")),
        ("post", reverse("mentoring:tags")),
        ("get", reverse("mentoring:programs")),
        ("get", reverse("mentoring:program-new")),
        ("post", reverse("mentoring:program-new")),
        ("get", reverse("mentoring:program", args=[s])),
        ("post", reverse("mentoring:program-enrol", args=[s])),
        ("get", reverse("mentoring:proposal", args=[s])),
        ("post", reverse("mentoring:match-pin", args=[match.code])),
        ("post", reverse("mentoring:match-move", args=[match.code])),
        ("post", reverse("mentoring:match-answer", args=[match.code])),
        ("post", reverse("mentoring:proposal-run", args=[s])),
        ("post", reverse("mentoring:proposal-publish", args=[s])),
    ]


FIELDS = [
    "q", "tag", "open", "page", "helps_with", "capacity", "expertise", "goal_tags",
    "availability", "languages", "utc_offset", "years_experience", "outside_team", "status",
    "challenge", "goals", "decision", "message", "name", "purpose", "kind", "starts_on",
    "ends_on", "enrolment_opens", "enrolment_closes", "objective", "min_score",
    "allow_repeats", "weight_skills", "weight_goals", "weight_seniority",
    "weight_preference", "weight_time_zone", "role", "tags", "choice_1", "choice_2",
    "choice_3", "not_with", "gender", "same_gender", "forget_sensitive", "mentor",
    "pinned", "action",
]  # fmt: skip


@pytest.mark.parametrize("who", ["report", "coach", "program_admin", "outsider"])
def test_junk_never_gives_a_server_error_nor_leaks(cast: Cast, who: str) -> None:
    routes = _routes(cast)
    client = client_for(cast.everyone()[who])
    client.raise_request_exception = False
    for junk in JUNK:
        data = dict.fromkeys(FIELDS, junk)
        for method, url in routes:
            response = client.get(url, data) if method == "get" else client.post(url, data)
            assert response.status_code < 500, (who, method, url, repr(junk))
            body = response.content.decode(errors="replace")
            if who != "program_admin":
                assert GENDER not in body, (who, url)
            if who not in ("report", "coach", "program_admin"):
                assert CHALLENGE not in body, (who, url)


def test_unknown_codes_and_slugs_answer_404(cast: Cast) -> None:
    client = client_for(cast.program_admin)
    code = uuid.uuid4()
    for name in ("profile", "request", "match-pin", "match-move", "match-answer"):
        url = reverse(f"mentoring:{name}", args=[code])
        response = client.get(url) if name in ("profile", "request") else client.post(url)
        assert response.status_code == 404, name
    for name in ("program", "proposal"):
        assert client.get(reverse(f"mentoring:{name}", args=["no-such-program"])).status_code == 404
    for name in ("program-enrol", "proposal-run", "proposal-publish"):
        assert client.post(reverse(f"mentoring:{name}", args=["no-such"])).status_code == 404
    for name in ("request-send", "request-answer"):
        assert client.post(reverse(f"mentoring:{name}", args=[code])).status_code == 404
