"""The confirmation page a destructive POST gets without JavaScript."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from cairn.lib.confirm import ask, confirmed


def _post(data: dict[str, str]):
    request = RequestFactory().post("/things/1/remove/", data)
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def test_only_a_post_that_says_yes_is_confirmed() -> None:
    assert confirmed(_post({"confirmed": "yes"}))
    assert not confirmed(_post({}))
    assert not confirmed(_post({"confirmed": "1"}))
    assert not confirmed(RequestFactory().get("/things/1/remove/", {"confirmed": "yes"}))


@pytest.mark.django_db
def test_the_page_asks_and_posts_back_what_was_typed() -> None:
    request = _post({"reason": "Travelling <that week>", "other": "dropped"})
    response = ask(
        request,
        question="Cancel the session with Ana?",
        button="Cancel the session",
        back_url="/sessions/1/",
        detail="You both get a cancellation.",
        keep=["reason", "missing"],
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cancel the session with Ana?" in html
    assert 'action="/things/1/remove/"' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    # What was typed comes back, escaped; what was not asked to be kept does not.
    assert 'name="reason" value="Travelling &lt;that week&gt;"' in html
    assert "dropped" not in html
    assert 'name="missing"' not in html
    assert 'href="/sessions/1/">No, go back' in html
