"""Choosing how to hear of each kind: the defaults until one chooses, a choice saved
for every kind at once, and bad input — an unknown channel, an unknown kind, a kind
left out — refused with a message and status 422, nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cairn.notifications import services
from cairn.notifications.models import DEFAULT_CHANNEL, Channel, Kind, Preference
from cairn.notifications.policy import channels_for
from cairn.testing import Cast, client_for, html, htmx

pytestmark = pytest.mark.django_db

URL = reverse("notifications:preferences")


def every_kind(channel: str = Channel.IN_APP, **changes: str) -> dict[str, str]:
    return {**dict.fromkeys(Kind.values, channel), **changes}


def checked(page: str, kind: str) -> str:
    """The channel checked for ``kind`` on the page."""
    for channel in Channel.values:
        if f'name="{kind}" value="{channel}"' in page:
            tag = page[page.index(f'name="{kind}" value="{channel}"') :].split(">", 1)[0]
            if "checked" in tag:
                return channel
    raise AssertionError(f"nothing checked for {kind}")


def test_the_page_shows_the_defaults_until_one_chooses(cast: Cast) -> None:
    response = client_for(cast.report).get(URL)
    assert response.status_code == 200
    page = html(response)
    for kind in Kind:
        assert kind.label in page
        assert checked(page, kind.value) == DEFAULT_CHANNEL[kind.value]


def test_a_choice_is_saved_for_every_kind(cast: Cast) -> None:
    client = client_for(cast.report)
    choices = every_kind(
        Channel.DIGEST, engagement_proposed=Channel.OFF, action_assigned=Channel.EMAIL
    )
    response = client.post(URL, choices)
    assert response.status_code == 302
    assert response["Location"] == URL
    assert channels_for(cast.report) == choices
    page = html(client.get(URL))
    assert "Your choices are saved." in page
    assert checked(page, Kind.ENGAGEMENT_PROPOSED) == Channel.OFF
    # Choosing again changes the rows, it does not add more.
    client.post(URL, every_kind(Channel.IN_APP))
    assert Preference.objects.filter(person=cast.report).count() == len(Kind.values)
    assert set(channels_for(cast.report).values()) == {Channel.IN_APP}


def test_with_htmx_the_form_answers_in_place(cast: Cast) -> None:
    response = htmx(client_for(cast.report)).post(URL, every_kind(Channel.EMAIL))
    assert response.status_code == 200
    assert "Your choices are saved." in html(response)
    assert "<html" not in html(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (every_kind(action_assigned="carrier-pigeon"), "Choose in Cairn only, email at once"),
        (every_kind(action_assigned=""), "Choose in Cairn only, email at once"),
        ({**every_kind(), "gossip": "email"}, "There is no kind of notification called gossip"),
        (
            {k: v for k, v in every_kind().items() if k != Kind.SESSION_TOMORROW},
            "Choose in Cairn only, email at once",
        ),
    ],
    ids=["unknown channel", "empty channel", "unknown kind", "a kind left out"],
)
@pytest.mark.parametrize("as_htmx", [False, True], ids=["browser", "htmx"])
def test_bad_input_is_refused_and_saves_nothing(
    cast: Cast, data: dict[str, str], message: str, as_htmx: bool
) -> None:
    client = client_for(cast.report)
    response = (htmx(client) if as_htmx else client).post(
        URL, {**data, "engagement_proposed": "off"}
    )
    assert response.status_code == 422
    assert message in html(response)
    assert not Preference.objects.exists()


def test_the_service_refuses_someone_elses_choices_and_unknown_kinds(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.set_channels(cast.admin, cast.report, every_kind())
    with pytest.raises(ValidationError):
        services.set_channels(cast.report, cast.report, {**every_kind(), "gossip": "email"})
    with pytest.raises(ValidationError):
        services.set_channels(cast.report, cast.report, every_kind("pigeon"))
    assert not Preference.objects.exists()


def test_a_kind_chosen_off_is_no_longer_kept(cast: Cast) -> None:
    client_for(cast.report).post(URL, every_kind(action_assigned=Channel.OFF))
    kept = services.notify(
        cast.report,
        Kind.ACTION_ASSIGNED,
        title="Maria Manager gave you an action item",
        url="/x/",
        key="k",
    )
    assert kept is None
