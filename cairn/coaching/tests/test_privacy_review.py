"""Findings of a privacy and security review, each pinned by the test that showed it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cairn.coaching.models import ActionItem, EngagementKind
from cairn.coaching.tests.factories import make_action_item, make_engagement, make_session
from cairn.people.models import User
from cairn.testing import Cast, client_for


def superuser_client() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


# --- counseling stays out of the Django admin, delete confirmations included ---------


def test_django_admin_delete_pages_do_not_reveal_counseling(cast: Cast) -> None:
    """Deleting a person, their account or their organisation lists every cascaded row
    by ``str()``, and deleting a template in use lists the rows that protect it. None
    of those lists may say that a counseling engagement exists, or between whom."""
    counseling = make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
    make_session(counseling)
    client = superuser_client()
    for url in (
        f"/admin/people/person/{cast.report.pk}/delete/",
        f"/admin/people/person/{cast.coach.pk}/delete/",
        f"/admin/people/user/{cast.report.user_id}/delete/",
        f"/admin/people/organisation/{cast.org.pk}/delete/",
        f"/admin/coaching/sessiontemplate/{counseling.template_id}/delete/",
    ):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert "delete" in page.lower(), url  # the control: it is the confirmation page
        assert "Counseling" not in page, url
        assert "Cody Coach &amp; Riley Report" not in page, url


# --- the action-mark form's hidden ``session`` field --------------------------------


@pytest.mark.parametrize("forged", ["not-a-code", "foreign", "other-engagement"])
def test_action_mark_with_a_forged_session_answers_404_and_changes_nothing(
    cast: Cast, forged: str
) -> None:
    """The ``session`` field only says which page to answer with. A code that is not a
    code, names a session the viewer may not see, or a session of another engagement
    is refused before the item is touched — not after it has been ticked off."""
    engagement = make_engagement(cast.coach, cast.report)
    item = make_action_item(make_session(engagement), cast.report)
    elsewhere = {
        "not-a-code": "not-a-code",
        "foreign": str(make_session(make_engagement(cast.manager, cast.peer)).code),
        "other-engagement": str(make_session(make_engagement(cast.peer, cast.report)).code),
    }[forged]
    client = client_for(cast.report)
    client.raise_request_exception = False
    response = client.post(
        reverse("coaching:action-mark", args=[item.code]), {"done": "1", "session": elsewhere}
    )
    assert response.status_code == 404
    assert not ActionItem.objects.get(pk=item.pk).is_done


def test_django_admin_cannot_swap_a_party_into_an_engagement(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.MENTORING)
    client = superuser_client()
    url = reverse("admin:coaching_engagement_change", args=[engagement.pk])
    page = client.get(url).content.decode()
    assert 'name="giver"' not in page
    assert 'name="receiver"' not in page

    client.post(url, {"giver": cast.manager.pk, "receiver": cast.peer.pk, "status": "active"})

    engagement.refresh_from_db()
    assert (engagement.giver, engagement.receiver) == (cast.coach, cast.report)


def test_django_admin_cannot_move_a_person_to_another_organisation(cast: Cast) -> None:
    client = superuser_client()
    url = reverse("admin:people_person_change", args=[cast.report.pk])
    assert 'name="organisation"' not in client.get(url).content.decode()
