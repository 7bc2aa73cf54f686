"""Hostile input gets a clear answer, never a 500 (issue 17, point 3).

The guard (``cairn/lib/hostile.py``): NUL bytes, lone surrogates, control characters
and bytes that are not UTF-8, in a query string, a form field, a field's name or an
uploaded file's name, are a 422 that names the field, before any view runs — on both
databases. Then the property-based walk: junk posted to every form of Cairn's main
pages, as the person who sees that form, and junk searched for on its list pages, is
never a 5xx, and a refusal saves nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.lib import hostile
from cairn.testing import Cast, client_for, count_queries, html, make_person
from cairn.tests.main_pages import MainPages, build_main_pages

pytestmark = pytest.mark.django_db


# Records of reading, not things saved: a refused form shows its page again, and a
# page that shows someone's private things logs that it was read (trust.AccessRecord).
READ_LOGS = {"trust.AccessRecord"}


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label not in READ_LOGS
    }


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("Al\x00ex", "a NUL byte"),
        ("bell\x07", "a control character (U+0007)"),
        ("esc\x1b[31m", "a control character (U+001B)"),
    ],
)
def test_a_search_with_a_character_cairn_cannot_store_is_a_422_naming_the_field(
    cast: Cast, value: str, what: str
) -> None:
    client = client_for(cast.manager)
    response = client.get(reverse("people:directory"), {"q": value})
    assert response.status_code == 422
    assert f"Your input contains characters Cairn can&#x27;t store: {what} in “q”." in html(
        response
    )


def test_the_people_picker_answers_json(cast: Cast) -> None:
    response = client_for(cast.manager).get(
        reverse("people:pick"), {"q": "Re\x00"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "Your input contains characters Cairn can't store: a NUL byte in “q”."
    }


def test_tab_newline_and_return_are_ordinary_text(cast: Cast) -> None:
    response = client_for(cast.manager).get(reverse("people:directory"), {"q": "a\tb\r\nc"})
    assert response.status_code == 200


@pytest.mark.parametrize("encoded", ["%ED%A0%80", "%FF", "%C3"])
def test_bytes_that_are_not_utf8_are_refused_rather_than_read_as_replacement(
    cast: Cast, encoded: str
) -> None:
    # %ED%A0%80 is the lone surrogate U+D800 encoded as UTF-8 would, if it could: Django
    # would read it as U+FFFD and search for that.
    response = client_for(cast.manager).get(f"{reverse('people:directory')}?q=x{encoded}")
    assert response.status_code == 422
    assert "bytes that are not UTF-8 text in the address" in html(response)


def test_a_posted_nul_saves_nothing(cast: Cast) -> None:
    client = client_for(cast.report)
    before = _counts()
    response = client.post(
        reverse("growth:mission"), {"text": "To help\x00 people grow", "visibility": "private"}
    )
    assert response.status_code == 422
    assert "a NUL byte in “text”" in html(response)
    assert _counts() == before


def test_a_urlencoded_body_with_a_surrogate_is_refused(cast: Cast) -> None:
    client = client_for(cast.report)
    before = _counts()
    response = client.post(
        reverse("growth:mission"),
        data=b"text=%ED%A0%80&visibility=private",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 422
    assert "bytes that are not UTF-8 text in the form" in html(response)
    assert _counts() == before


def test_a_field_name_is_checked_too(cast: Cast) -> None:
    client = client_for(cast.report)
    before = _counts()
    response = client.post(reverse("growth:mission"), {"te\x01xt": "hello"})
    assert response.status_code == 422
    assert "in the name of a field" in html(response)
    assert _counts() == before


def test_a_file_name_with_a_nul_is_no_500(cast: Cast) -> None:
    # Django's multipart parser drops unprintable characters from file names; the
    # guard checks the names it hands on all the same.
    upload = SimpleUploadedFile("export\x00.json", b"{}", content_type="application/json")
    response = client_for(cast.report).post(reverse("export:import"), {"file": upload})
    assert response.status_code == 422


def test_the_refusal_page_works_without_a_session() -> None:
    response = Client().get(reverse("login"), {"next": "/\x00"})
    assert response.status_code == 422
    assert "a NUL byte in “next”" in html(response)


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b'{"a": NaN}', "NaN is not a number JSON can hold"),
        (b'{"a": -Infinity}', "-Infinity is not a number JSON can hold"),
        (b'{"a": 1e999}', "the number 1e999 is too big"),
        (b'{"a": "\\ud800"}', "a lone surrogate (U+D800) in a"),
        (b'{"a": ["\\u0000"]}', "a NUL byte in a[0]"),
        (b"[" * 1000 + b"]" * 1000, "nested more than 32 levels deep"),
        (b'{"a": "\xff"}', "bytes that are not UTF-8 text in the body"),
    ],
)
def test_a_json_body_is_read_strictly_and_answered_in_json(
    cast: Cast, body: bytes, what: str
) -> None:
    response = client_for(cast.report).post(
        reverse("growth:mission"), data=body, content_type="application/json"
    )
    assert response.status_code == 422
    assert what in response.json()["error"]


def test_loads_strict_keeps_ordinary_json() -> None:
    text = json.dumps({"a": [1, 2.5, "tab\there", {"b": None}]})
    assert hostile.loads_strict(text) == json.loads(text)
    assert hostile.json_problem({"ok": ["fine"]}) is None
    assert hostile.strip_bad("a\x00b\ud800c\x1fd\te") == "abcd\te"


# --- the property: junk into every form and search of the main pages -----------------

# What a hostile (or unlucky) person types: characters Cairn refuses, calendar edges
# and impossible dates, numbers JSON cannot hold, deep nesting, huge text.
JUNK = [
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\x07\x1b[31m",
    "\x0b\x0c",
    "x" * 100_000,
    "9" * 400,
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31 23:59",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "1e999",
    "-1e999",
    "-1",
    "[" * 1000,
    '{"a":' * 500 + "1" + "}" * 500,
    "",
    " ",
    "💡" * 50,
    "<script>alert(1)</script>",
    "%00",
    "not-a-uuid",
]

# Fields left as the page wrote them: junk there is refused before any form is read
# (a forged CSRF token is a 403, a missing confirmation asks first).
NOT_POISONED = {"csrfmiddlewaretoken", "confirmed"}

# Whose requests change rows even when they fail: the signed-in browser's session.
NOT_COUNTED = {"sessions.Session"}


@dataclass(frozen=True)
class Form:
    """A form a page offers its viewer: who sees it, where it posts, and the
    fields it sends as the page filled them in."""

    role: str
    action: str
    fields: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return f"{self.role} → {self.action} ({', '.join(name for name, _ in self.fields)})"


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._fields = []
            self.forms.append((a.get("action", ""), self._fields))
        elif self._fields is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in {"submit", "button", "file", "image"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                if a.get("type") == "radio" and all(n != a["name"] for n, _ in self._fields):
                    self._fields.append((a["name"], a.get("value", "on")))
                return
            self._fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._fields.append((a["name"], ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and a.get("value"):
            self._fields.append((self._select, a["value"]))
            self._select = None
        elif tag == "button" and a.get("type", "submit") == "submit" and a.get("value"):
            self._fields.append((a["name"], a["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


def _forms(cast: Cast, pages: MainPages) -> list[Form]:
    found: dict[tuple[str, str, tuple[str, ...]], Form] = {}
    for role, person, urls in pages.people(cast):
        client = client_for(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            parser = _FormParser()
            parser.feed(html(response))
            for action, fields in parser.forms:
                target = action or url
                if target.startswith(reverse("logout")):
                    continue
                names = tuple(sorted({name for name, _ in fields}))
                found.setdefault((role, target, names), Form(role, target, tuple(fields)))
    return list(found.values())


def _examples() -> int:
    """The profile's number of examples (lean in normal runs, more when thorough)."""
    profile = settings.default
    return profile.max_examples if profile is not None else 20


def _body(pairs: list[tuple[str, str]]) -> bytes:
    # Lone surrogates travel as the bytes a careless encoder would send (%ED%A0%80).
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass").encode()


def _signed_in(cast: Cast, pages: MainPages) -> dict[str, Client]:
    return {role: client_for(person) for role, person, _ in pages.people(cast)}


def test_junk_in_any_form_is_never_a_server_error_and_a_refusal_saves_nothing(
    cast: Cast,
) -> None:
    pages = build_main_pages(cast)
    forms = _forms(cast, pages)
    assert len(forms) > 30  # the walk found the forms, not nothing
    clients = _signed_in(cast, pages)
    for client in clients.values():
        client.raise_request_exception = False

    @settings(max_examples=_examples() * 3)
    @given(
        form=st.sampled_from(forms),
        data=st.data(),
        junk=st.lists(st.sampled_from(JUNK), min_size=1, max_size=3),
    )
    def post_junk(form: Form, data: st.DataObject, junk: list[str]) -> None:
        fields = list(form.fields)
        targets = [name for name, _ in fields if name not in NOT_POISONED] or ["q"]
        poisoned = data.draw(st.lists(st.sampled_from(targets), min_size=1, max_size=len(junk)))
        values = dict(zip(poisoned, junk, strict=False))
        pairs = [(name, values.pop(name, value)) for name, value in fields]
        pairs.extend(values.items())
        before = _counts()
        response = clients[form.role].post(
            form.action, data=_body(pairs), content_type="application/x-www-form-urlencoded"
        )
        status = response.status_code
        assert status < 500, f"{status} from {form} with {pairs!r:.300}"
        if status >= 400:
            after = _counts()
            changed = {
                label: (before[label], after[label])
                for label in before
                if before[label] != after[label] and label not in NOT_COUNTED
            }
            assert not changed, f"{status} from {form} saved {changed}"

    post_junk()


def test_junk_in_any_search_or_address_is_never_a_server_error(cast: Cast) -> None:
    pages = build_main_pages(cast)
    clients = _signed_in(cast, pages)
    for client in clients.values():
        client.raise_request_exception = False
    urls = [(role, url) for role, _, role_urls in pages.people(cast) for url in role_urls]

    @settings(max_examples=_examples() * 2)
    @given(
        page=st.sampled_from(urls),
        name=st.sampled_from(["q", "page", "tag", "status", "owner_q", "people_q", "sort"]),
        junk=st.sampled_from(JUNK),
    )
    def search_junk(page: tuple[str, str], name: str, junk: str) -> None:
        role, url = page
        query = urlencode([(name, junk)], encoding="utf-8", errors="surrogatepass")
        response = clients[role].get(f"{url}?{query}")
        assert response.status_code < 500, (
            f"{response.status_code} from {role} GET {url}?{query:.200}"
        )

    search_junk()


PROGRAM = {
    "name": "Spring cohort",
    "purpose": "Grow",
    "kind": "cohort",
    "starts_on": "2026-04-01",
    "ends_on": "2026-09-30",
    "enrolment_opens": "2026-03-01",
    "enrolment_closes": "2026-03-20",
    "objective": "best_total",
    "min_score": "0",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("starts_on", "0001-01-01", "Choose a date between 1900 and 2200."),
        ("ends_on", "9999-12-31", "Choose a date between 1900 and 2200."),
        ("enrolment_closes", "2026-02-30", "Enter a valid date."),
        ("min_score", "nan", "The minimum score must be a number."),
        ("min_score", "1e999", "The minimum score must be a number."),
        ("min_score", "-inf", "The minimum score must be a number."),
    ],
)
def test_calendar_edges_and_numbers_json_cannot_hold_are_form_errors(
    cast: Cast, field: str, value: str, message: str
) -> None:
    # The program form is the one date form outside coaching's year range; Django's
    # FloatField refuses NaN and infinities itself.
    client = client_for(cast.program_admin)
    before = _counts()
    response = client.post(reverse("mentoring:program-new"), {**PROGRAM, field: value})
    assert response.status_code == 422
    assert message in html(response)
    assert _counts() == before


def test_the_refusal_shows_everyone_only_what_they_sent_wrong(cast: Cast) -> None:
    # The whole cast, the other organisation's admin and a Django superuser: the same
    # 422 with the field's name, and nothing of the value or of anyone's content.
    root = make_person(cast.org, "Sam Superuser")
    get_user_model().objects.filter(pk=root.user_id).update(is_superuser=True, is_staff=True)
    mission = "CANARY mission nobody else should read"
    client_for(cast.report).post(reverse("growth:mission"), {"text": mission})
    secret = "CANARY-typed-value"
    for person in [*cast.everyone().values(), root]:
        response = client_for(person).get(reverse("growth:home"), {"q": f"{secret}\x00"})
        assert response.status_code == 422, person
        page = html(response)
        assert "a NUL byte in “q”" in page
        assert secret not in page
        assert mission not in page


def test_the_refusal_costs_the_same_queries_with_one_person_or_fifty(cast: Cast) -> None:
    client = client_for(cast.manager)
    url = reverse("people:directory") + "?q=a%00"
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for n in range(50):
        make_person(cast.org, f"Many Person {n:02}", manager=cast.manager)
    assert count_queries(lambda: client.get(url)) == one
