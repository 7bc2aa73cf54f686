"""Every route, guarded: the whole URLconf is walked, so a route added tomorrow is
checked without anyone remembering to write its test.

For each route, with its path parameters filled with codes that name nothing:

- an anonymous visitor is sent to the log-in page (except the few public routes);
- a route that only takes POST answers 405 to GET, and the set of such routes is
  written down here, so one cannot quietly start answering GET;
- an unknown code is 404 (never 200 or 500), for an org admin of another
  organisation and for a Django superuser, by GET and by an empty POST; a malformed
  code is 404 too.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cairn.testing import make_org, make_person

pytestmark = pytest.mark.django_db

# Routes left out of the walk, and why.
SKIPPED_PREFIXES = {
    # The Django admin has its own staff log-in and registers no private model; the
    # apps' privacy tests check that private models' admin pages are 404.
    "admin/",
}

# Routes anyone may reach without signing in, and what an anonymous GET gets there.
PUBLIC = {
    "login": 200,  # the log-in page itself
    "logout": 405,  # Django's LogoutView signs out by POST only; GET is refused
    # Asking for a link to choose a password, and following it: whoever has forgotten
    # their password is not signed in. A link that names nobody says it no longer works.
    "password_reset": 200,
    "password_reset_done": 200,
    "password_reset_confirm": 200,
    "password_reset_complete": 200,
    "invitation": 200,
    # The second sign-in step, and setting up two-factor sign-in where an organisation
    # requires it: only for a browser that has just given an account's password; anyone
    # else is sent back to the password step (people/tests/test_two_factor.py).
    "login-code": 302,
    "login-two-factor": 302,
    # The Django admin's own log-in page hands over to Cairn's (throttle, two-factor).
    "admin-login": 302,
    # A person's calendar feed: its secret is the credential; one that opens nothing
    # is a 404 (coaching/tests/test_calendar_feed.py).
    "coaching:calendar-feed": 404,
}

# Routes that take POST only: they answer GET with 405. Kept by hand, so that a route
# that starts answering GET (a lost ``@require_POST``) fails here.
POST_ONLY = {
    "logout",
    "account-two-factor-off",
    "coaching:engagement-accept",
    "coaching:engagement-close",
    "coaching:engagement-decline",
    "coaching:session-schedule",
    "coaching:agreement-propose",
    "coaching:agreement-accept",
    "coaching:debrief-write",
    "coaching:session-complete",
    "coaching:session-move",
    "coaching:session-skip",
    "coaching:session-tips",
    "coaching:calendar-reset",
    "coaching:calendar-stop",
    "coaching:agenda-add",
    "coaching:agenda-mark",
    "coaching:agenda-dismiss",
    "coaching:note-add",
    "coaching:note-delete",
    "coaching:action-add",
    "coaching:action-mark",
    "coaching:agenda-remove",
    "coaching:action-remove",
    "people:team-new",
    "people:grant-confirm",
    "people:grant-decline",
    "growth:share-add",
    "growth:share-remove",
    "growth:action-add",
    "growth:action-mark",
    "growth:check-in-add",
    "growth:objective-session",
    "mastery:share-add",
    "mastery:share-remove",
    "mastery:engagement-competency-add",
    "mastery:engagement-competency-remove",
    "mentoring:request-answer",
    "mentoring:request-send",
    "mentoring:program-enrol",
    "mentoring:proposal-run",
    "mentoring:proposal-publish",
    "mentoring:match-pin",
    "mentoring:match-move",
    "mentoring:match-answer",
    "library:story-submit",
    "library:story-publish",
    "library:story-review",
    "library:question-hide",
    "library:question-add",
    "library:tag-add",
    "library:session-pin",
    "library:advice-check",
    "library:advice-dismiss",
    "export:import",
    "export:import-confirm",
    "export:import-discard",
    "evaluation:self-review",
    "evaluation:assessment",
    "evaluation:goal-add",
    "evaluation:cycle-open",
    "evaluation:cycle-move",
    "notifications:read",
    "notifications:read-all",
    "feedback:request-takeaway",
    "feedback:decline",
    "feedback:received-keep",
    "feedback:received-takeaway",
    "feedback:share-remove",
    "feedback:session-helped",
    "debriefs:invite",
    "debriefs:reflection",
    "debriefs:open",
    "debriefs:close",
    "debriefs:decline",
    "debriefs:action-add",
    "debriefs:action-mark",
    "debriefs:action-remove",
    "debriefs:remove",
    "debriefs:note-add",
}

# Routes that take GET only (``require_GET``): an empty POST is refused with 405
# before the code is even looked at.
GET_ONLY = {
    "coaching:calendar-feed",
    "export:json",
    "export:markdown",
    "export:print",
    "export:data",
    "export:import-preview",
    "trust:log",
    "evaluation:cycle-export",
    "notifications:list",
    "notifications:bell",
    "notifications:open",
    "people:pick",
    "insights:me",
    "insights:team",
    "insights:organisation",
    "insights:program",
    "insights:developing-others",
    "mentoring:proposal-mentors",
    "mentoring:program-mentors",
    "mastery:framework",
    "mastery:framework-cell",
    "mastery:person-framework",
    "mastery:person-competency",
    # Django's pages that only say something happened (TemplateView).
    "password_reset_done",
    "password_reset_complete",
    "password_change_done",
    # A framework's file (mastery/tests/test_framework_export.py).
    "mastery:framework-export",
}

# What fills each kind of path parameter: something well formed that names nothing.
FILLERS: dict[str, Callable[[], str]] = {
    "uuid": lambda: str(uuid.uuid4()),
    "slug": lambda: "no-such-thing",
    "str": lambda: "no-such-thing",
    "int": lambda: "987654321",
    "path": lambda: "no/such/thing",
}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str

    @property
    def has_code(self) -> bool:
        return bool(PARAMETER.search(self.pattern))

    def url(self, *, malformed: bool = False) -> str:
        def fill(match: re.Match[str]) -> str:
            converter = match["converter"] or "str"
            assert converter in FILLERS, f"{self.name}: no filler for <{converter}:…>"
            if malformed and converter == "uuid":
                return "not-a-uuid"
            return FILLERS[converter]()

        return "/" + PARAMETER.sub(fill, self.pattern)


def _walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator[Route]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route in SKIPPED_PREFIXES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner)
        else:
            assert entry.name, f"/{route} has no name"
            yield Route(f"{namespace}{entry.name}", route)


ROUTES = list(_walk(get_resolver().url_patterns, "", ""))
GUARDED = [route for route in ROUTES if route.name not in PUBLIC]
WITH_CODE = [route for route in GUARDED if route.has_code]


def _client(user: Any = None) -> Client:
    # A view that crashes is reported as a 500 beside the other routes' answers,
    # rather than stopping the walk at the first one.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _requests(route: Route) -> list[str]:
    """The methods a route takes: GET and POST, unless it is one of the sets above."""
    methods = []
    if route.name not in POST_ONLY:
        methods.append("get")
    if route.name not in GET_ONLY:
        methods.append("post")
    return methods


def test_the_walk_finds_every_app() -> None:
    # If the walk silently stopped recursing, every other test here would pass on
    # nothing.
    names = {route.name for route in ROUTES}
    assert {"home", "login", "coaching:session", "people:person", "export:import"} <= names
    assert {name.split(":")[0] for name in names if ":" in name} == {
        "coaching",
        "people",
        "growth",
        "feedback",
        "debriefs",
        "mastery",
        "mentoring",
        "library",
        "export",
        "trust",
        "evaluation",
        "notifications",
        "insights",
    }
    assert set(PUBLIC) | POST_ONLY | GET_ONLY <= names


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    client = _client()
    login = resolve_url(settings.LOGIN_URL)
    wrong = []
    for route in GUARDED:
        url = route.url()
        for method in _requests(route):
            response = getattr(client, method)(url)
            if response.status_code != 302 or not response["Location"].startswith(f"{login}?next="):
                wrong.append(f"{method.upper()} {route.name} {url}: {response.status_code}")
    assert not wrong, "not sent to log in:\n" + "\n".join(wrong)


def test_public_routes_answer_anonymous_visitors() -> None:
    client = _client()
    by_name = {route.name: route for route in ROUTES}
    for name, status in PUBLIC.items():
        assert client.get(by_name[name].url()).status_code == status, name


def test_post_only_routes_refuse_get() -> None:
    outsider = make_person(make_org(), "Olga Outsider", is_org_admin=True)
    client = _client(outsider.user)
    refused = {route.name for route in ROUTES if client.get(route.url()).status_code == 405}
    assert refused == POST_ONLY


def test_get_only_routes_refuse_post() -> None:
    outsider = make_person(make_org(), "Olga Outsider", is_org_admin=True)
    client = _client(outsider.user)
    refused = {route.name for route in ROUTES if client.post(route.url()).status_code == 405}
    assert refused == GET_ONLY


@pytest.fixture
def strangers() -> dict[str, Client]:
    """People who may not see anything that these random codes could name: the most
    privileged person of an organisation holding no data, and a Django superuser (who
    is also a person there)."""
    org = make_org("Elsewhere Ltd")
    outsider = make_person(org, "Olga Outsider", is_org_admin=True)
    root = make_person(org, "Sam Superuser", is_org_admin=True, is_program_admin=True)
    get_user_model().objects.filter(pk=root.user_id).update(is_superuser=True, is_staff=True)
    return {"org admin elsewhere": _client(outsider.user), "superuser": _client(root.user)}


def test_unknown_codes_are_404(strangers: dict[str, Client]) -> None:
    wrong = []
    for who, client in strangers.items():
        for route in WITH_CODE:
            url = route.url()
            for method in _requests(route):
                status = getattr(client, method)(url, {}).status_code
                if status != 404:
                    wrong.append(f"{who}: {method.upper()} {route.name} {url}: {status}")
    assert not wrong, "\n".join(wrong)


def test_malformed_codes_are_404(strangers: dict[str, Client]) -> None:
    client = strangers["org admin elsewhere"]
    wrong = []
    for route in WITH_CODE:
        url = route.url(malformed=True)
        if "not-a-uuid" not in url:
            continue
        for method in _requests(route):
            status = getattr(client, method)(url, {}).status_code
            if status != 404:
                wrong.append(f"{method.upper()} {route.name} {url}: {status}")
    assert not wrong, "\n".join(wrong)


def test_a_superuser_with_no_person_gets_no_data() -> None:
    # An account made for the Django admin is not a member of any organisation: it
    # gets the page that says so (403), never someone's content and never a crash.
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client = _client(user)
    wrong = []
    for route in GUARDED:
        for method in _requests(route):
            status = getattr(client, method)(route.url(), {}).status_code
            if status not in (403, 404):
                wrong.append(f"{method.upper()} {route.name}: {status}")
    assert not wrong, "\n".join(wrong)
