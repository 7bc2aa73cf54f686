"""Accounts: resetting a forgotten password by email, changing one's password, and
the invitation a new person gets instead of a password chosen by an org admin."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.mail.models import OutgoingEmail
from cairn.people.accounts import INVITATION_DAYS
from cairn.people.models import Person, User
from cairn.people.tests.factories import GOOD_PASSWORD, add_reports, new_person_data
from cairn.testing import PASSWORD, ROLES, Cast, client_for, count_queries, make_org, make_person

RESET = reverse("password_reset")
RESET_SENT = reverse("password_reset_done")
RESET_COMPLETE = reverse("password_reset_complete")
CHANGE = reverse("password_change")
CHANGE_DONE = reverse("password_change_done")
PERSON_NEW = reverse("people:person-new")
HOME = reverse("home")
LOGIN = reverse("login")
NEW_PASSWORD = "quartz-lantern-harbour-58"
GONE = "This link no longer works"


def _link(text: object, route: str) -> str:
    """The path of the one link to ``route`` in an email, checked to be absolute."""
    base: str = settings.CAIRN_BASE_URL
    prefix = base + "/" + route + "/"
    links: list[str] = re.findall(re.escape(prefix) + r"\S+", str(text))
    assert len(links) == 1, text
    return links[0].removeprefix(base)


def ask_for_reset(client: Client, email: str, capture: Callable[..., Any]) -> Any:
    with capture(execute=True):
        return client.post(RESET, {"email": email})


def set_password(client: Client, link: str, password: str = NEW_PASSWORD) -> Any:
    """Follow a link from an email and choose a password, as the person would."""
    opened = client.get(link)
    assert opened.status_code == 302, opened.content.decode()
    form_url = opened["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def can_log_in(username: str, password: str) -> bool:
    return Client().login(username=username, password=password)


# --- password reset ------------------------------------------------------------------


def test_login_page_links_to_the_reset(db: None) -> None:
    assert f'href="{RESET}"' in Client().get(LOGIN).content.decode()


def test_reset_by_email_end_to_end(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    response = ask_for_reset(
        client, "RILEY" + cast.report.user.email[5:], django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert response["Location"] == RESET_SENT
    assert "Check your email" in client.get(RESET_SENT).content.decode()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [cast.report.user.email]
    assert (email.cc, email.bcc) == ([], [])
    assert email.subject == "Choose a new password for Cairn"
    assert cast.report.user.username in email.body
    link = _link(email.body, "password/reset")

    done = set_password(client, link)
    assert done.status_code == 302
    assert done["Location"] == RESET_COMPLETE
    assert "Your password is set" in client.get(RESET_COMPLETE).content.decode()
    assert can_log_in(cast.report.user.username, NEW_PASSWORD)
    assert not can_log_in(cast.report.user.username, PASSWORD)


def test_unknown_address_gets_the_same_answer_and_no_email(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    known = ask_for_reset(Client(), cast.report.user.email, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    before = OutgoingEmail.objects.count()
    unknown = ask_for_reset(Client(), "nobody@example.org", django_capture_on_commit_callbacks)
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == before


def test_a_deactivated_account_gets_no_reset_email(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast.report.user.is_active = False
    cast.report.user.save()
    response = ask_for_reset(Client(), cast.report.user.email, django_capture_on_commit_callbacks)
    assert response["Location"] == RESET_SENT
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "This field is required."), ("riley-at-example", "Enter a valid email address.")],
)
def test_reset_rejects_a_bad_address(
    cast: Cast, django_capture_on_commit_callbacks: Any, email: str, message: str
) -> None:
    response = ask_for_reset(Client(), email, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def _reset_link(cast: Cast, capture: Callable[..., Any]) -> str:
    ask_for_reset(Client(), cast.report.user.email, capture)
    return _link(mail.outbox[-1].body, "password/reset")


def test_a_used_reset_link_says_it_no_longer_works(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    link = _reset_link(cast, django_capture_on_commit_callbacks)
    set_password(Client(), link)
    again = Client().get(link, follow=True)
    assert again.status_code == 200
    page = again.content.decode()
    assert GONE in page
    assert f'href="{RESET}"' in page
    assert "new_password1" not in page


def test_an_expired_reset_link_says_it_no_longer_works(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    link = _reset_link(cast, django_capture_on_commit_callbacks)
    later = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(timezone.now() + later, tick=False):
        page = Client().get(link, follow=True).content.decode()
    assert GONE in page
    assert "new_password1" not in page
    # Nothing was changed by trying.
    assert can_log_in(cast.report.user.username, PASSWORD)


def test_a_reset_link_works_until_it_expires(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    link = _reset_link(cast, django_capture_on_commit_callbacks)
    nearly = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60)
    with time_machine.travel(timezone.now() + nearly, tick=False):
        assert set_password(Client(), link)["Location"] == RESET_COMPLETE


def test_a_made_up_reset_link_says_it_no_longer_works(db: None) -> None:
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-123"})
    page = Client().get(url).content.decode()
    assert GONE in page


def test_setting_a_bad_password_says_why_and_changes_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    link = _reset_link(cast, django_capture_on_commit_callbacks)
    client = Client()
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "short1", "new_password2": "short1"})
    assert response.status_code == 422
    assert "This password is too short." in response.content.decode()
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert response.status_code == 422
    assert "The two password fields didn’t match." in response.content.decode()
    # Unchanged (checked without logging in, which would spend the link: its token
    # hashes the last log-in).
    assert User.objects.get(pk=cast.report.user_id).check_password(PASSWORD)
    # The link still works after a refused try.
    assert (
        client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})[
            "Location"
        ]
        == RESET_COMPLETE
    )


def test_reset_links_are_built_on_the_configured_address_not_the_request_host(
    cast: Cast, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.CAIRN_BASE_URL = "https://cairn.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(RESET, {"email": cast.report.user.email}, headers={"host": "evil.example"})
    body = mail.outbox[0].body
    assert "https://cairn.example.org/password/reset/" in body
    assert "evil.example" not in body


def test_the_reset_email_carries_no_content(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    ask_for_reset(Client(), cast.report.user.email, django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    # The person's name and username, two links, and what to do: nothing more.
    assert cast.report.name in body
    assert PASSWORD not in body
    assert cast.manager.name not in body
    assert len(body) < 700


def test_reset_answers_in_the_same_queries_however_many_people(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    def ask() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            Client().post(RESET, {"email": cast.report.user.email})

    one = count_queries(ask)
    add_reports(cast, 50)
    assert count_queries(ask) == one
    assert count_queries(lambda: Client().get(RESET)) == 0


# --- changing one's password -------------------------------------------------------


def _signed_in(person: Person, password: str = PASSWORD) -> Client:
    client = Client()
    assert client.login(username=person.user.username, password=password)
    return client


def test_own_page_links_to_the_change(cast: Cast) -> None:
    client = client_for(cast.report)
    own = client.get(reverse("people:person", args=[cast.report.code])).content.decode()
    assert f'href="{CHANGE}"' in own
    other = client.get(reverse("people:person", args=[cast.manager.code])).content.decode()
    assert f'href="{CHANGE}"' not in other


def test_changing_the_password_signs_out_every_other_session(cast: Cast) -> None:
    here = _signed_in(cast.report)
    elsewhere = _signed_in(cast.report)
    someone_else = _signed_in(cast.manager)
    response = here.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == CHANGE_DONE
    assert "Your password is changed" in here.get(CHANGE_DONE).content.decode()
    # This session stays signed in; the other one of the same person is signed out.
    assert here.get(HOME).status_code == 200
    signed_out = elsewhere.get(HOME)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith(LOGIN)
    assert SESSION_KEY not in elsewhere.session
    # Nobody else is touched.
    assert someone_else.get(HOME).status_code == 200
    assert can_log_in(cast.report.user.username, NEW_PASSWORD)
    assert not can_log_in(cast.report.user.username, PASSWORD)


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        (
            {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            "Your old password was entered incorrectly.",
        ),
        (
            {
                "old_password": PASSWORD,
                "new_password1": "password123",
                "new_password2": "password123",
            },
            "This password is too common.",
        ),
        ({}, "This field is required."),
    ],
)
def test_change_rejects_bad_input_and_changes_nothing(
    cast: Cast, data: dict[str, str], field_message: str
) -> None:
    client = _signed_in(cast.report)
    response = client.post(CHANGE, data)
    assert response.status_code == 422
    assert field_message in response.content.decode()
    assert can_log_in(cast.report.user.username, PASSWORD)
    assert client.get(HOME).status_code == 200


def test_change_page_shows_only_my_own_account_to_everyone(cast: Cast) -> None:
    everyone = cast.everyone()
    for role in ROLES:
        page = client_for(everyone[role]).get(CHANGE)
        assert page.status_code == 200, role
        text = page.content.decode()
        assert "Change your password" in text
        others = [p for name, p in everyone.items() if name != role]
        for other in others:
            assert f"Log out {other.user.username}<" not in text, (role, other)


def test_change_page_needs_a_person(db: None) -> None:
    assert Client().get(CHANGE)["Location"].startswith(LOGIN)
    root = User.objects.create_superuser("root", "root@example.org", "pw")
    client = Client()
    client.force_login(root)
    assert client.get(CHANGE).status_code == 403
    assert client.post(CHANGE, {}).status_code == 403


def test_change_page_costs_the_same_however_many_people(cast: Cast) -> None:
    client = client_for(cast.manager)
    one = count_queries(lambda: client.get(CHANGE))
    add_reports(cast, 50)
    assert count_queries(lambda: client.get(CHANGE)) == one


# --- the invitation ------------------------------------------------------------------


def invite(cast: Cast, capture: Callable[..., Any], **overrides: Any) -> Person:
    with capture(execute=True):
        response = client_for(cast.admin).post(PERSON_NEW, new_person_data(**overrides))
    assert response.status_code == 302
    return Person.objects.get(user__username=overrides.get("username", "sam"))


def test_adding_a_person_queues_an_invitation_to_them_only(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    sam = invite(cast, django_capture_on_commit_callbacks, manager=cast.manager.code)
    queued = OutgoingEmail.objects.get(key=f"invitation:{sam.code}")
    assert queued.to == "sam@example.org"
    assert queued.sent_at is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sam@example.org"]
    assert (email.cc, email.bcc) == ([], [])
    assert email.subject == f"{cast.admin.name} invited you to Cairn"
    link = _link(email.body, "welcome")
    assert f"{INVITATION_DAYS} days" in email.body
    # The email names the people and the organisation, and carries nothing else: no
    # password (there is none), nothing of the manager's.
    expected_names = {cast.admin.name, "Sam Newcomer", cast.org.name, "sam"}
    assert all(name in email.body for name in expected_names)
    assert cast.manager.name not in email.body
    assert PASSWORD not in email.body
    assert link.startswith("/welcome/")


def test_the_admin_cannot_log_in_as_the_new_person(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    sam = invite(cast, django_capture_on_commit_callbacks, password=GOOD_PASSWORD)
    assert not sam.user.has_usable_password()
    for guess in (GOOD_PASSWORD, PASSWORD, "", "sam"):
        assert not can_log_in("sam", guess)
    # The admin's own pages never show a way to set or read it.
    page = client_for(cast.admin).get(reverse("people:person-edit", args=[sam.code]))
    assert 'type="password"' not in page.content.decode()


def test_the_invitation_link_sets_the_password_once(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    invite(cast, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0].body, "welcome")
    client = Client()
    opened = client.get(link, follow=True)
    assert "Welcome to Cairn" in opened.content.decode()
    done = set_password(client, link)
    assert done["Location"] == RESET_COMPLETE
    assert can_log_in("sam", NEW_PASSWORD)
    # Used once: the second time it says so, and setting is refused.
    again = Client()
    page = again.get(link, follow=True).content.decode()
    assert GONE in page
    assert "new_password1" not in page
    form_url = link.rsplit("/", 2)[0] + "/set-password/"
    refused = again.post(
        form_url, {"new_password1": "x" + NEW_PASSWORD, "new_password2": "x" + NEW_PASSWORD}
    )
    assert GONE in refused.content.decode()
    assert can_log_in("sam", NEW_PASSWORD)


@pytest.mark.parametrize(
    ("days", "works"), [(INVITATION_DAYS - 1, True), (INVITATION_DAYS + 1, False)]
)
def test_the_invitation_expires_after_a_week(
    cast: Cast, django_capture_on_commit_callbacks: Any, days: int, works: bool
) -> None:
    invite(cast, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0].body, "welcome")
    with time_machine.travel(timezone.now() + dt.timedelta(days=days), tick=False):
        page = Client().get(link, follow=True).content.decode()
        if works:
            assert set_password(Client(), link)["Location"] == RESET_COMPLETE
    assert (GONE in page) is not works
    assert can_log_in("sam", NEW_PASSWORD) is works


def test_an_expired_invitation_is_renewed_by_the_reset_page(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    invite(cast, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + dt.timedelta(days=INVITATION_DAYS + 1), tick=False):
        ask_for_reset(Client(), "sam@example.org", django_capture_on_commit_callbacks)
        assert len(mail.outbox) == 1
        assert (
            set_password(Client(), _link(mail.outbox[0].body, "password/reset"))["Location"]
            == RESET_COMPLETE
        )
    assert can_log_in("sam", NEW_PASSWORD)


def test_an_invitation_is_no_reset_link_and_the_other_way_round(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    invite(cast, django_capture_on_commit_callbacks)
    welcome = _link(mail.outbox[0].body, "welcome")
    as_reset = welcome.replace("/welcome/", "/password/reset/")
    assert GONE in Client().get(as_reset, follow=True).content.decode()
    ask_for_reset(Client(), "sam@example.org", django_capture_on_commit_callbacks)
    reset = _link(mail.outbox[-1].body, "password/reset")
    as_welcome = reset.replace("/password/reset/", "/welcome/")
    assert GONE in Client().get(as_welcome, follow=True).content.decode()


def test_a_rejected_add_queues_no_invitation(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.admin).post(PERSON_NEW, new_person_data(email="nope"))
    assert response.status_code == 422
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_the_command_line_and_demo_set_passwords_without_inviting(db: None) -> None:
    person = make_person(make_org(), "Cleo Commandline")
    assert not OutgoingEmail.objects.exists()
    assert can_log_in(person.user.username, PASSWORD)


def test_an_org_admin_cannot_set_a_password_through_the_service(cast: Cast) -> None:
    from django.core.exceptions import PermissionDenied

    from cairn.people import services

    with pytest.raises(PermissionDenied):
        services.add_person(
            cast.admin,
            cast.org,
            username="sam",
            email="sam@example.org",
            name="Sam",
            password=GOOD_PASSWORD,
        )
    assert not User.objects.filter(username="sam").exists()


def test_the_invitation_rejects_bad_input_and_stays_usable(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    invite(cast, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0].body, "welcome")
    client = Client()
    form_url = client.get(link)["Location"]
    for first, second, message in [
        ("", "", "This field is required."),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two password fields didn’t match."),
        ("sam@example.org", "sam@example.org", "The password is too similar to the"),
    ]:
        response = client.post(form_url, {"new_password1": first, "new_password2": second})
        assert response.status_code == 422
        assert message in response.content.decode().replace("&#x27;", "'")
        assert not User.objects.get(username="sam").has_usable_password()
    assert set_password(client, link)["Location"] == RESET_COMPLETE


def test_a_link_page_tells_whoever_opens_it_nothing_about_the_account(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    invite(cast, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0].body, "welcome")
    root = make_person(make_org("Elsewhere"), "Sam Superuser")
    User.objects.filter(pk=root.user_id).update(is_superuser=True, is_staff=True)
    viewers = {**cast.everyone(), "superuser": root}
    for who, viewer in viewers.items():
        client = client_for(viewer)
        page = client.get(link, follow=True)
        assert page.status_code == 200, who
        text = page.content.decode()
        for planted in ("Sam Newcomer", "sam@example.org", cast.admin.name):
            assert planted not in text, (who, planted)
    # Opening it set nothing: the link still works for its person.
    assert set_password(Client(), link)["Location"] == RESET_COMPLETE
