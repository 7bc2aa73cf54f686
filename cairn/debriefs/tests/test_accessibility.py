"""Every debrief page is labelled for screen readers (the shared checker): the list,
the new form, the page for the host and a member before and after opening, and the
forms with errors."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from cairn.debriefs.tests.factories import World
from cairn.testing import client_for, html
from cairn.testing.accessibility import problems


def check(client: Client, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(html(response)) == [], url


def test_the_pages_are_labelled(before: World, after: World) -> None:
    for world in (before, after):
        page = reverse("debriefs:debrief", args=[world.debrief.code])
        check(client_for(world.cast.manager), [reverse("debriefs:home"), page])
        check(client_for(world.cast.report), [reverse("debriefs:new"), page])


def test_the_action_items_form_is_labelled(after: World) -> None:
    assert after.action is not None
    url = reverse("debriefs:action-edit", args=[after.debrief.code, after.action.code])
    check(client_for(after.cast.manager), [url])


def test_error_answers_and_questions_are_labelled(after: World) -> None:
    code = after.debrief.code
    assert after.action is not None
    item = after.action.code
    client = client_for(after.cast.manager)
    for url, data in [
        (reverse("debriefs:action-edit", args=[code, item]), {"description": ""}),
        (reverse("debriefs:action-remove", args=[code, item]), {}),
        (reverse("debriefs:remove", args=[code, after.cast.peer.code]), {}),
        (reverse("debriefs:new"), {"title": ""}),
        (reverse("debriefs:reflection", args=[code]), {"happened": ""}),
        (reverse("debriefs:action-add", args=[code]), {"description": ""}),
        (reverse("debriefs:note-add", args=[code]), {"body": ""}),
        (reverse("debriefs:invite", args=[code]), {"person": ""}),
    ]:
        response = client.post(url, data)
        # A form with errors is 422; a question before something goes is 200.
        assert response.status_code == (422 if data else 200), url
        assert problems(html(response)) == [], url
