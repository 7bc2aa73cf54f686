"""Two-factor sign-in: turning it on (nothing stored until a code matches), signing
in with a code or a recovery code (each once), new recovery codes, turning it off
(with a code), organisations that require it, and the security page's privacy."""

from __future__ import annotations

import re
from binascii import unhexlify
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cairn.people import services, two_factor
from cairn.people.models import Person, SignInEvent, SignInEventKind, User
from cairn.people.signin import SETUP_SECRET_KEY
from cairn.testing import PASSWORD, ROLES, Cast, client_for, count_queries, html

CODE_PATTERN = re.compile(r"<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>")


def code_for(secret_hex: str, offset: int = 0) -> str:
    return f"{totp(unhexlify(secret_hex), drift=offset):06d}"


def turn_on(client: Client) -> tuple[str, list[str]]:
    """Through the pages: open set-up, type the app's code; returns the secret and the
    recovery codes shown."""
    page = client.get(reverse("account-two-factor"))
    assert page.status_code == 200
    secret = client.session[SETUP_SECRET_KEY]
    response = client.post(reverse("account-two-factor"), {"code": code_for(secret)})
    assert response["Location"] == reverse("account-recovery-codes")
    shown = client.get(reverse("account-recovery-codes"))
    codes = CODE_PATTERN.findall(html(shown))
    assert len(codes) == 10
    return secret, codes


def password_step(username: str, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_turning_it_on_stores_nothing_until_the_code_matches(cast: Cast) -> None:
    client = client_for(cast.report)
    page = client.get(reverse("account-two-factor"))
    assert "<svg" in html(page)
    assert "style=" not in html(page).split("<svg", 1)[1].split("</svg>")[0]
    secret = client.session[SETUP_SECRET_KEY]
    assert two_factor.secret_for_people(secret).replace(" ", "") in html(page).replace(" ", "")
    # The same secret on a reload (the QR code stays the one scanned).
    client.get(reverse("account-two-factor"))
    assert client.session[SETUP_SECRET_KEY] == secret

    wrong = client.post(reverse("account-two-factor"), {"code": "000000"})
    assert wrong.status_code == 422
    assert "That code does not match" in html(wrong)
    nonsense = client.post(reverse("account-two-factor"), {"code": "\x00" * 6})
    assert nonsense.status_code == 422
    assert not TOTPDevice.objects.filter(user=cast.report.user).exists()
    cast.report.user.refresh_from_db()
    assert not cast.report.user.two_factor_enabled

    _, codes = turn_on(client)
    device = TOTPDevice.objects.get(user=cast.report.user)
    assert device.confirmed
    assert device.key == secret
    cast.report.user.refresh_from_db()
    assert cast.report.user.two_factor_enabled
    # The codes are kept hashed, never as shown; the page shows them once.
    stored = set(
        StaticToken.objects.filter(device__user=cast.report.user).values_list("token", flat=True)
    )
    assert len(stored) == 10
    assert not stored & {c.replace("-", "") for c in codes}
    assert client.get(reverse("account-recovery-codes"))["Location"] == reverse("account-security")
    # This session stays signed in.
    assert is_signed_in(client)


def test_signing_in_asks_for_the_code_and_nothing_else_opens_before_it(cast: Cast) -> None:
    secret, _ = turn_on(client_for(cast.report))
    client = password_step(cast.report.user.username)
    response = client.post(
        reverse("login"),
        {"username": cast.report.user.username, "password": PASSWORD, "next": "/people/"},
    )
    assert response["Location"] == reverse("login-code")
    # The password alone opens nothing.
    for url in (reverse("home"), reverse("account-security"), reverse("people:directory")):
        assert client.get(url)["Location"].startswith(reverse("login"))
    wrong = client.post(reverse("login-code"), {"code": "123456"})
    assert wrong.status_code == 422
    assert "That code does not match" in html(wrong)
    assert not is_signed_in(client)

    response = client.post(reverse("login-code"), {"code": code_for(secret, offset=1)})
    assert response["Location"] == "/people/"
    assert is_signed_in(client)
    kinds = list(SignInEvent.objects.filter(user=cast.report.user).values_list("kind", flat=True))
    assert SignInEventKind.SIGNED_IN in kinds
    assert SignInEventKind.FAILED in kinds


def test_a_code_is_good_once(cast: Cast) -> None:
    secret, _ = turn_on(client_for(cast.report))
    first = password_step(cast.report.user.username)
    code = code_for(secret, offset=1)
    assert first.post(reverse("login-code"), {"code": code}).status_code == 302
    second = password_step(cast.report.user.username)
    assert second.post(reverse("login-code"), {"code": code}).status_code == 422


def test_recovery_codes_each_work_once(cast: Cast) -> None:
    _, codes = turn_on(client_for(cast.report))
    client = password_step(cast.report.user.username)
    # Typed loosely: upper case, spaces instead of dashes.
    response = client.post(reverse("login-code"), {"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    assert is_signed_in(client)
    assert SignInEvent.objects.filter(
        user=cast.report.user, kind=SignInEventKind.RECOVERY_CODE_USED
    ).exists()

    again = password_step(cast.report.user.username)
    assert again.post(reverse("login-code"), {"code": codes[0]}).status_code == 422
    assert again.post(reverse("login-code"), {"code": codes[1]}).status_code == 302
    page = client_for_verified(cast.report, codes[2])
    assert "You have 7 recovery codes left." in html(page.get(reverse("account-security")))


def test_one_recovery_code_typed_twice_at_once_signs_in_once(cast: Cast) -> None:
    """Two sign-ins with one recovery code at once (PostgreSQL, read committed): the
    other request runs whole right after this one first touches the code's row,
    before this one goes on. Exactly one of the two is let in."""
    _, codes = turn_on(client_for(cast.report))
    other: list[object] = []

    def the_other_request_meanwhile(execute: Any, sql: str, *args: Any) -> Any:
        result = execute(sql, *args)
        if not other and StaticToken._meta.db_table in sql:
            other.append(None)
            other[0] = two_factor.verify(cast.report.user, codes[0], None)
        return result

    with connection.execute_wrapper(the_other_request_meanwhile):
        this = two_factor.verify(cast.report.user, codes[0], None)
    assert [this, *other].count(None) == 1
    assert (
        SignInEvent.objects.filter(
            user=cast.report.user, kind=SignInEventKind.RECOVERY_CODE_USED
        ).count()
        == 1
    )


def client_for_verified(person: Person, recovery_code: str) -> Client:
    client = password_step(person.user.username)
    assert client.post(reverse("login-code"), {"code": recovery_code}).status_code == 302
    return client


def test_new_recovery_codes_ask_first_and_replace_the_old(cast: Cast) -> None:
    client = client_for(cast.report)
    _, old = turn_on(client)
    asked = client.post(reverse("account-recovery-codes"))
    assert asked.status_code == 200
    assert asked["X-Cairn-Confirm"] == "ask"
    assert "Make new recovery codes?" in html(asked)
    assert (
        password_step(cast.report.user.username)
        .post(reverse("login-code"), {"code": old[0]})
        .status_code
        == 302
    )  # the old ones still work until the answer is yes

    response = client.post(reverse("account-recovery-codes"), {"confirmed": "yes"})
    assert response["Location"] == reverse("account-recovery-codes")
    new = CODE_PATTERN.findall(html(client.get(reverse("account-recovery-codes"))))
    assert len(new) == 10
    assert not set(new) & set(old)
    assert (
        password_step(cast.report.user.username)
        .post(reverse("login-code"), {"code": old[1]})
        .status_code
        == 422
    )
    assert (
        password_step(cast.report.user.username)
        .post(reverse("login-code"), {"code": new[0]})
        .status_code
        == 302
    )
    assert SignInEvent.objects.filter(
        user=cast.report.user, kind=SignInEventKind.RECOVERY_CODES_NEW
    ).exists()


def test_turning_it_off_asks_first_and_needs_a_current_code(cast: Cast) -> None:
    client = client_for(cast.report)
    secret, _ = turn_on(client)
    url = reverse("account-two-factor-off")
    asked = client.post(url, {"code": "123456"})
    assert asked["X-Cairn-Confirm"] == "ask"
    wrong = client.post(url, {"code": "123456", "confirmed": "yes"})
    assert wrong.status_code == 422
    assert "That code does not match. Nothing was changed." in html(wrong)
    assert TOTPDevice.objects.filter(user=cast.report.user).exists()
    empty = client.post(url, {"code": "", "confirmed": "yes"})
    assert empty.status_code == 422

    done = client.post(url, {"code": code_for(secret, offset=1), "confirmed": "yes"})
    assert done["Location"] == reverse("account-security")
    assert not TOTPDevice.objects.filter(user=cast.report.user).exists()
    assert not StaticToken.objects.filter(device__user=cast.report.user).exists()
    assert SignInEvent.objects.filter(
        user=cast.report.user, kind=SignInEventKind.TWO_FACTOR_OFF
    ).exists()
    # The password alone signs in again.
    fresh = Client()
    response = fresh.post(
        reverse("login"), {"username": cast.report.user.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("home")


def test_wrong_codes_count_towards_the_accounts_lock(cast: Cast) -> None:
    turn_on(client_for(cast.report))
    client = password_step(cast.report.user.username)
    for _ in range(4):
        assert client.post(reverse("login-code"), {"code": "000000"}).status_code == 422
    locked = client.post(reverse("login-code"), {"code": "000000"})
    assert locked.status_code == 429
    assert "Too many failed sign-ins for this account." in html(locked)
    # The right password is refused too, now.
    again = Client().post(
        reverse("login"), {"username": cast.report.user.username, "password": PASSWORD}
    )
    assert again.status_code == 429


def test_the_password_step_again_does_not_wipe_the_wrong_codes(cast: Cast) -> None:
    """Only a finished sign-in clears the account's failures: typing the password
    again (which the one guessing codes knows) does not buy four more guesses."""
    turn_on(client_for(cast.report))
    client = password_step(cast.report.user.username)
    for _ in range(4):
        assert client.post(reverse("login-code"), {"code": "000000"}).status_code == 422
    client = password_step(cast.report.user.username)
    locked = client.post(reverse("login-code"), {"code": "000000"})
    assert locked.status_code == 429
    assert "Too many failed sign-ins for this account." in html(locked)


def test_a_session_from_before_two_factor_was_turned_on_is_ended(cast: Cast) -> None:
    old = client_for(cast.report)
    turn_on(client_for(cast.report))
    response = old.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))
    assert old.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_an_organisation_that_requires_it_sends_members_to_set_it_up(cast: Cast) -> None:
    signed_in_before = client_for(cast.report)
    admin = client_for(cast.admin)
    response = admin.post(reverse("people:security-settings"), {"requires_two_factor": "on"})
    # The admin without it is sent to set up their own.
    assert response["Location"] == reverse("account-two-factor")
    cast.org.refresh_from_db()
    assert cast.org.requires_two_factor
    # A session signed in without it is ended.
    assert signed_in_before.get(reverse("home"))["Location"].startswith(reverse("login"))

    client = password_step(cast.report.user.username)
    response = client.post(
        reverse("login"), {"username": cast.report.user.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("login-two-factor")
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert client.get(reverse("login-code"))["Location"] == reverse("login")
    page = client.get(reverse("login-two-factor"))
    assert page.status_code == 200
    assert "<svg" in html(page)
    assert client.post(reverse("login-two-factor"), {"code": "999999"}).status_code == 422
    secret = client.session[SETUP_SECRET_KEY]
    done = client.post(reverse("login-two-factor"), {"code": code_for(secret)})
    assert done["Location"] == reverse("account-recovery-codes")
    assert len(CODE_PATTERN.findall(html(client.get(reverse("account-recovery-codes"))))) == 10
    assert is_signed_in(client)
    # Required: it cannot be turned off.
    security = html(client.get(reverse("account-security")))
    assert "Turn off two-factor sign-in" not in security
    refused = client.post(
        reverse("account-two-factor-off"), {"code": code_for(secret, 1), "confirmed": "yes"}
    )
    assert refused.status_code == 422
    assert "Your organisation requires two-factor sign-in" in html(refused)


def test_only_an_org_admin_sets_the_rule(cast: Cast) -> None:
    # The org admin last: once the rule is on, sessions without two-factor end.
    assert cast.outsider.is_org_admin
    for role in sorted(ROLES, key=lambda r: r == "admin"):
        person: Person = getattr(cast, role)
        response = client_for(person).post(
            reverse("people:security-settings"), {"requires_two_factor": "on"}
        )
        if person.is_org_admin:
            assert response.status_code == 302
        else:
            assert response.status_code == 404, role
        if role == "outsider":
            # An admin of another organisation sets their own organisation's rule.
            cast.org.refresh_from_db()
            assert not cast.org.requires_two_factor
            cast.outsider.organisation.refresh_from_db()
            assert cast.outsider.organisation.requires_two_factor
    cast.org.refresh_from_db()
    assert cast.org.requires_two_factor


def test_the_security_page_shows_each_person_only_their_own(cast: Cast) -> None:
    agents = {}
    for role in ROLES:
        person: Person = getattr(cast, role)
        agents[role] = f"Browser-of-{role}"
        Client(HTTP_USER_AGENT=agents[role]).post(
            reverse("login"), {"username": person.user.username, "password": PASSWORD}
        )
    superuser = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    for role in ROLES:
        person = getattr(cast, role)
        response = client_for(person).get(reverse("account-security"))
        assert response.status_code == 200
        page = html(response)
        assert agents[role] in page
        assert not [a for r, a in agents.items() if r != role and a in page], role
    # An account with no person (a Django superuser) has no such page and sees nobody's.
    response = client_for_user(superuser).get(reverse("account-security"))
    assert response.status_code == 403
    assert not [a for a in agents.values() if a in html(response)]


def client_for_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_security_page_costs_the_same_at_one_and_fifty_records(cast: Cast) -> None:
    client = client_for(cast.report)
    two_factor.record(cast.report.user.pk, SignInEventKind.SIGNED_IN, None)
    one = count_queries(lambda: client.get(reverse("account-security")))
    for _ in range(49):
        two_factor.record(cast.report.user.pk, SignInEventKind.FAILED, None)
    fifty = count_queries(lambda: client.get(reverse("account-security")))
    assert one == fifty


def test_a_superuser_signs_in_to_the_admin_through_cairns_steps(cast: Cast) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response["Location"] == reverse("login") + "?next=/admin/"


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "\x00" * 6])
def test_junk_codes_get_a_clear_answer(cast: Cast, code: str) -> None:
    turn_on(client_for(cast.report))
    client = password_step(cast.report.user.username)
    response = client.post(reverse("login-code"), {"code": code})
    assert response.status_code == 422
    assert not isinstance(response.wsgi_request.user, User) or isinstance(
        response.wsgi_request.user, AnonymousUser
    )
    assert not is_signed_in(client)


def test_the_org_admin_can_lift_the_rule(cast: Cast) -> None:
    services.set_two_factor_required(cast.admin, cast.org, required=True)
    services.set_two_factor_required(cast.admin, cast.org, required=False)
    cast.org.refresh_from_db()
    assert not cast.org.requires_two_factor
    response = Client().post(
        reverse("login"), {"username": cast.report.user.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("home")
