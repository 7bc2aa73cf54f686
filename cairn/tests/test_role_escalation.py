"""No quiet escalation, end to end: an org admin who ticks "program admin" on
themselves cannot read mentoring challenges until a second org admin confirms it,
and loses them at once when the role is taken away. Project-wide, since it walks
people's pages and mentoring's."""

from __future__ import annotations

from django.urls import reverse

from cairn.mentoring.tests.factories import make_request
from cairn.people.models import RoleGrant
from cairn.people.tests.factories import edit_data, edit_url
from cairn.testing import Cast, client_for, html, make_person

CHALLENGE = "escalation-canary: I freeze when the leadership team asks questions"


def test_an_admin_cannot_make_themselves_a_reader_of_challenges(cast: Cast) -> None:
    item = make_request(cast.report, cast.coach, challenge=CHALLENGE)
    request_url = reverse("mentoring:request", args=[item.code])
    ada = client_for(cast.admin)

    # Ada ticks "program admin" on herself: it only asks.
    ada.post(edit_url(cast.admin), edit_data(cast.admin, is_program_admin="on"))
    response = ada.get(request_url)
    assert response.status_code == 404
    assert CHALLENGE not in html(response)
    grant = RoleGrant.objects.pending().get(person=cast.admin)

    # She cannot confirm it herself, and is told so.
    response = ada.post(reverse("people:grant-confirm", args=[grant.code]))
    assert response.status_code == 422
    assert "another org admin must confirm it" in html(response)
    assert ada.get(request_url).status_code == 404

    # A second org admin confirms: now she reads it.
    second = make_person(cast.org, "Sol Second", is_org_admin=True)
    client_for(second).post(reverse("people:grant-confirm", args=[grant.code]))
    response = ada.get(request_url)
    assert response.status_code == 200
    assert CHALLENGE in html(response)

    # Taken away, it is gone at the next request.
    cast.admin.refresh_from_db()
    client_for(second).post(edit_url(cast.admin), edit_data(cast.admin, is_program_admin=None))
    response = ada.get(request_url)
    assert response.status_code == 404
    assert CHALLENGE not in html(response)

    # And the organisation's admins read the whole story.
    page = html(client_for(second).get(reverse("people:roles")))
    for said in ("Asked for, waiting for a second org admin", "Confirmed", "Revoked"):
        assert said in page


def test_in_an_organisation_with_one_admin_the_challenge_stays_closed(cast: Cast) -> None:
    item = make_request(cast.report, cast.coach, challenge=CHALLENGE)
    ada = client_for(cast.admin)
    response = ada.post(
        edit_url(cast.admin), edit_data(cast.admin, is_program_admin="on"), follow=True
    )
    assert "a second org admin is needed to confirm it" in html(response)
    response = ada.get(reverse("mentoring:request", args=[item.code]))
    assert response.status_code == 404
    assert CHALLENGE not in html(response)
