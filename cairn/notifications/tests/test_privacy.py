"""Nobody sees another's notifications: each of the cast (the other organisation's
org admin, HR and a Django superuser among them) gets their own list and count and
none of the report's; opening or marking read the report's notification answers 404
and changes nothing; the Django admin has no page for notifications."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cairn.notifications.models import Notification
from cairn.notifications.tests.factories import make_notification
from cairn.people.models import Person
from cairn.testing import ROLES, Cast, client_for, html, htmx, make_person

pytestmark = pytest.mark.django_db

SECRET = "Canary Kestrel asked you to review a story"
OTHERS = [role for role in ROLES if role != "report"] + ["superuser"]


def someone(cast: Cast, role: str) -> Person:
    if role == "superuser":
        root = make_person(cast.org, "Sam Superuser", is_org_admin=True, is_program_admin=True)
        get_user_model().objects.filter(pk=root.user_id).update(is_superuser=True, is_staff=True)
        return root
    return cast.everyone()[role]


def test_the_recipient_sees_their_own(cast: Cast) -> None:
    make_notification(cast.report, SECRET)
    client = client_for(cast.report)
    assert SECRET in html(client.get(reverse("notifications:list")))
    assert '<span class="badge">1</span>' in html(htmx(client).get(reverse("notifications:bell")))


@pytest.mark.parametrize("role", OTHERS)
def test_nobody_else_sees_or_touches_them(cast: Cast, role: str) -> None:
    mine = make_notification(cast.report, SECRET)
    viewer = someone(cast, role)
    client = client_for(viewer)

    for url in (reverse("notifications:list"), reverse("home")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in html(response)
        assert str(mine.code) not in html(response)
    bell = htmx(client).get(reverse("notifications:bell"))
    assert bell.status_code == 200
    assert 'class="badge"' not in html(bell)

    assert client.get(reverse("notifications:open", args=[mine.code])).status_code == 404
    assert client.post(reverse("notifications:read", args=[mine.code])).status_code == 404
    assert htmx(client).post(reverse("notifications:read", args=[mine.code])).status_code == 404
    assert client.post(reverse("notifications:read-all")).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is None


def test_the_django_admin_has_no_page_for_notifications(cast: Cast) -> None:
    make_notification(cast.report, SECRET)
    root = someone(cast, "superuser")
    client = client_for(root)
    assert client.get("/admin/notifications/notification/").status_code == 404
    assert client.get("/admin/notifications/preference/").status_code == 404
    assert SECRET not in html(client.get("/admin/"))


def test_a_title_and_str_never_carry_more_than_the_title(cast: Cast) -> None:
    row = make_notification(cast.report, SECRET)
    assert SECRET not in str(row)
    assert str(Notification.objects.get().code) in str(row)
