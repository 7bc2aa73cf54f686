"""Browser-test fixtures: Playwright driving Debian's Chromium against ``live_server``.

A pytest plugin, registered by the root ``conftest.py``. It gives a test:

* ``browser`` — one headless Chromium per test process (xdist worker), started on
  first use;
* ``open_page`` — opens a page in a fresh browser context (its own cookies, so one
  context is one signed-in person), aimed at the live server; keyword arguments go to
  ``Browser.new_context`` (``java_script_enabled=False`` for the no-JavaScript path);
* ``page`` — one such page, for tests with a single person;
* ``console`` — everything the pages wrote to the console, to assert on (for
  instance that the Content-Security-Policy held);

``log_in(page, person)``, which signs in through the real login form, and
``sign_in(page, person)``, which hands the browser a session without it (faster, for
tests about something else); ``axe_violations(page)``, what axe-core (installed from
npm with the front-end libraries) finds wrong with the page as it stands, and
``accessibility_problems(page, url)``, the same at a desktop and a phone width.

Playwright's own browser download is never used: ``CAIRN_CHROMIUM`` (default
``/usr/bin/chromium``) names the executable.
"""

from __future__ import annotations

import json
import os
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from cairn.testing import PASSWORD

AXE_SOURCE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA: what the product promises.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# A desktop and a phone.
WIDTHS = (1280, 390)

if TYPE_CHECKING:
    from cairn.people.models import Person

CHROMIUM = os.environ.get("CAIRN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous for a page served from loopback, short enough that a broken selector
# fails the test in seconds instead of Playwright's default half minute.
TIMEOUT_MS = 5_000

# Playwright's sync API runs an asyncio event loop in this thread, and Django refuses
# ORM calls from a thread with a running loop. The tests' ORM calls (building data,
# flushing the database afterwards) are ordinary synchronous code, so the check is
# a false alarm here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@dataclass
class Console:
    """What the pages of one test wrote to the console, and any uncaught errors."""

    messages: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        source = message.location.get("url") or ""
        self.messages.append(f"{message.type}: {message.text} [{source}]")

    def record_error(self, error: Exception) -> None:
        self.messages.append(f"pageerror: {error}")

    def csp_violations(self) -> list[str]:
        """Chromium reports every Content-Security-Policy violation on the console."""
        return [m for m in self.messages if "Content Security Policy" in m]

    def errors(self) -> list[str]:
        """Errors the pages caused. Chromium asks for /favicon.ico by itself, which
        is not a page's doing, so that 404 is left out."""
        return [
            m
            for m in self.messages
            if m.startswith(("error:", "pageerror:")) and not m.endswith("/favicon.ico]")
        ]


# The live server each open context was made for, so ``sign_in`` sets its cookie
# there whatever address the live server listens on.
_base_urls: weakref.WeakKeyDictionary[BrowserContext, str] = weakref.WeakKeyDictionary()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            headless=True, executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def open_page(
    browser: Browser,
    live_server: LiveServer,
    console: Console,
) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh contexts; all are closed when the test ends.

    ``live_server`` makes the test transactional: the server thread must see the
    test's data, so it is committed, and the database is flushed afterwards. The flush
    also removes what migrations loaded (the built-in session templates, ladders, tags
    and questions); ``cairn.testing.fixtures`` has each app restore them after every
    flush. (Django's serialized rollback cannot do it: Playwright's event loop gives
    this thread a second database connection, which lacks the serialized copy made on
    the first.)
    """
    contexts: list[BrowserContext] = []

    def open_page(**context_options: Any) -> Page:
        context = browser.new_context(base_url=live_server.url, **context_options)
        _base_urls[context] = live_server.url
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", console.record)
        page.on("pageerror", console.record_error)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    return open_page()


def sign_in(page: Page, person: Person) -> None:
    """Signed in as ``person`` without the log-in form: a session made as Django's test
    client makes one, its cookie handed to the page's browser context (which is this
    person's alone), so the next page the test opens is theirs. For tests about
    something other than logging in; ``log_in`` goes through the form, and the
    coaching journey uses it."""
    client = Client()
    client.force_login(person.user)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": session.key, "value": session.value, "url": _base_urls[page.context]}]
    )


def log_in(page: Page, person: Person, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would, and wait for home."""
    page.goto("/login/")
    page.get_by_label("Username").fill(person.user.username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    if "/login/" in page.url:
        raise AssertionError(f"{person.user.username} could not log in: {page.url}")


def axe_violations(page: Page) -> list[str]:
    """What axe-core finds against WCAG 2.1 A/AA on the page as it is now, one line per
    rule broken, naming the elements. Evaluated through the DevTools protocol, which the
    page's Content-Security-Policy does not govern, so the page itself stays strict."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))})))",
        AXE_TAGS,
    )
    return [f"{v['id']}: {v['help']} — {json.dumps(v['nodes'][:5])}" for v in result]


def accessibility_problems(page: Page, url: str) -> dict[int, list[str]]:
    """axe's findings for ``url`` at each of ``WIDTHS``; empty lists when all is well."""
    found: dict[int, list[str]] = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        if response is None or not response.ok:
            raise AssertionError(f"{url} answered {response and response.status}")
        found[width] = axe_violations(page)
    return found
