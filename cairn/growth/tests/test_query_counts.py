"""Query counts of the growth pages and endpoints: the same at 1 row and at 50.

Two worlds are built once for the module, one with one row of everything and one
with 50 (each test runs in a savepoint, so what it writes is undone); a test counts
the queries of the same request in each. Equal counts mean no query per row; the
bound on top keeps a constant cost from creeping up unseen. Every request
spends three queries on who is asking (session, user, person).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import services as coaching
from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_action_item, make_engagement, make_session
from cairn.growth import services
from cairn.growth.models import PlanShare
from cairn.growth.tests.factories import SCALE
from cairn.testing import Cast, client_for, count_queries, htmx, make_cast, make_person
from cairn.testing.worlds import LARGE, SMALL, Worlds, build_worlds

# + 1 on every whole page: the bell's unread notifications in the navigation, and
# one per kind of thing they are about, to ask whether the viewer may still see it:
# + 2 for the owner, whom building the world told of their coaching, + 1 for the
# reader (plans shared with them). Every page that lists objectives, the objective
# page and its action items part (which action-add and action-mark answer with), + 1:
# the session action items towards them that the viewer may read.
BOUNDS = {
    "home": 12,
    "mission": 7,
    "mission-guided": 8,
    "mission-history": 8,
    "plan": 11,
    "objective": 13,
    "objective-reader": 10,  # and the read in the owner's access log
    "objective-edit": 7,
    "shared": 6,
    "shared-plan": 14,  # and two reads in the owner's access log: mission, plan
    "action-add": 12,
    "action-mark": 11,
    "check-in-add": 8,
    "objective-session": 13,
    # and telling the reader: their account, their choice of channel, the notification
    # (get_or_create: a savepoint around its insert)
    "share-add": 17,
    "share-remove": 10,
}


class World:
    """The report's growth with a focus objective, shared with the coach.

    Each row adds: a mission statement version, an objective with an action item and
    a check-in, an action item and a check-in on the focus objective, a share with a
    new colleague, a colleague who shares their plan with the coach, and a session
    of the coaching engagement (a choice for the session link).
    """

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.owner = cast.report
        self.reader = cast.coach
        self.today = timezone.localdate()
        self.engagement = make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
        self.focus = services.add_objective(self.owner, what="focus", scale=SCALE)
        services.save_plan(self.owner, dreams="dreams", become="become")
        services.share(self.owner, self.reader)
        self.rows = 0

    def grow_to(self, rows: int) -> None:
        owner, due = self.owner, self.today + dt.timedelta(days=7)
        while self.rows < rows:
            n = self.rows + 1
            services.save_mission_statement(owner, text=f"version {n}", love=f"love {n}")
            objective = services.add_objective(owner, what=f"objective {n}", scale=SCALE)
            services.add_action(owner, objective, owner=owner, description=f"step {n}", due_on=due)
            services.add_check_in(owner, objective, note=f"progress {n}", position=0)
            colleague = make_person(self.cast.org, f"Colleague {n}")
            services.add_action(
                owner, self.focus, owner=colleague, description=f"focus {n}", due_on=due
            )
            services.add_check_in(owner, self.focus, note=f"focus {n}", position=1)
            services.share(owner, colleague)
            services.save_mission_statement(colleague, text=f"their mission {n}")
            services.add_objective(colleague, what=f"their objective {n}")
            services.share(colleague, self.reader)
            session = make_session(
                self.engagement, when=timezone.now() + dt.timedelta(days=1, minutes=n)
            )
            # A session action item towards the focus objective and one towards the
            # new objective, the first of them done: progress the plan shows.
            for towards, done in ((self.focus, True), (objective, False)):
                item = make_action_item(session, owner, f"session step {n}")
                services.set_item_objective(owner, item, towards)
                if done:
                    coaching.set_action_item_done(owner, item, done=True)
            self.rows += 1


@pytest.fixture(scope="module")
def built(module_db: None, django_db_blocker: Any) -> Worlds[World]:
    return build_worlds(lambda: World(make_cast()), django_db_blocker)


@pytest.fixture
def worlds(db: None, built: Worlds[World]) -> Worlds[World]:
    # A copy per test, so that no test sees objects another changed in memory.
    return copy.deepcopy(built)


def check(name: str, small: int, large: int) -> None:
    assert small == large, f"{name}: {small} queries at {SMALL} row, {large} at {LARGE}"
    assert large <= BOUNDS[name], f"{name}: {large} queries, bound {BOUNDS[name]}"


PAGES: dict[str, Callable[[World], tuple[str, str]]] = {
    "home": lambda w: ("owner", reverse("growth:home")),
    "mission": lambda w: ("owner", reverse("growth:mission")),
    "mission-guided": lambda w: ("owner", reverse("growth:mission-guided")),
    "mission-history": lambda w: ("owner", reverse("growth:mission-history")),
    "plan": lambda w: ("owner", reverse("growth:plan")),
    "objective": lambda w: ("owner", reverse("growth:objective", args=[w.focus.code])),
    "objective-reader": lambda w: ("reader", reverse("growth:objective", args=[w.focus.code])),
    "objective-edit": lambda w: ("owner", reverse("growth:objective-edit", args=[w.focus.code])),
    "shared": lambda w: ("reader", reverse("growth:shared")),
    "shared-plan": lambda w: ("reader", reverse("growth:shared-plan", args=[w.owner.code])),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_queries_do_not_grow_with_rows(worlds: Worlds[World], name: str) -> None:
    def get(world: World) -> Callable[[], None]:
        who, url = PAGES[name](world)
        client = client_for(world.owner if who == "owner" else world.reader)

        def request() -> None:
            response = client.get(url)
            assert response.status_code == 200, url

        return request

    check(name, count_queries(get(worlds.small)), count_queries(get(worlds.large)))


def _post(client: Client, url: str, data: dict[str, str], status: int = 200) -> None:
    response = client.post(url, data)
    assert response.status_code == status, (url, response.status_code)


def test_htmx_posts_do_not_grow_with_rows(worlds: Worlds[World]) -> None:
    def posts(world: World) -> dict[str, Callable[[], None]]:
        client = htmx(client_for(world.owner))
        focus = world.focus
        due = (world.today + dt.timedelta(days=3)).isoformat()
        action = services.add_action(
            world.owner, focus, owner=world.owner, description="tick me", due_on=world.today
        )
        session = world.engagement.sessions.first()
        assert session is not None
        return {
            "action-add": lambda: _post(
                client,
                reverse("growth:action-add", args=[focus.code]),
                {"owner": str(world.owner.code), "description": "one more", "due_on": due},
            ),
            "action-mark": lambda: _post(
                client, reverse("growth:action-mark", args=[action.code]), {"done": "1"}
            ),
            "check-in-add": lambda: _post(
                client,
                reverse("growth:check-in-add", args=[focus.code]),
                {"note": "moving", "position": "0"},
            ),
            "objective-session": lambda: _post(
                client,
                reverse("growth:objective-session", args=[focus.code]),
                {"session": str(session.code)},
            ),
        }

    small, large = posts(worlds.small), posts(worlds.large)
    for name in small:
        check(name, count_queries(small[name]), count_queries(large[name]))


def test_share_posts_do_not_grow_with_rows(worlds: Worlds[World]) -> None:
    def shares(world: World) -> tuple[Callable[[], None], Callable[[], None]]:
        client = htmx(client_for(world.owner))
        newcomer, leaving = (make_person(world.cast.org, f"Share {n}") for n in range(2))
        services.share(world.owner, leaving)
        grant = PlanShare.objects.get(owner=world.owner, shared_with=leaving)
        add_url = reverse("growth:share-add")
        remove_url = reverse("growth:share-remove", args=[grant.code])
        return (
            lambda: _post(client, add_url, {"person": str(newcomer.code)}),
            lambda: _post(client, remove_url, {}),
        )

    (small_add, small_remove), (large_add, large_remove) = (
        shares(worlds.small),
        shares(worlds.large),
    )
    check("share-add", count_queries(small_add), count_queries(large_add))
    check("share-remove", count_queries(small_remove), count_queries(large_remove))
