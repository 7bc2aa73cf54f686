"""Query counts of the debrief pages: the same for a group of 1 invitee and of 50,
each with a reflection and an action item, and for 1 debrief or 50 on the list. Equal
counts mean no query per member; the bound keeps a constant cost from creeping up.
Every request spends three queries on who is asking (session, user, person), every
whole page one on the bell and one per kind of subject among the unread
notifications."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.debriefs import services
from cairn.debriefs.models import DebriefActionItem, GroupDebrief, Reflection
from cairn.debriefs.tests.factories import make_debrief, open_now
from cairn.people.models import Person
from cairn.testing import Cast, client_for, count_queries, htmx, make_team
from cairn.testing.bulk import bulk_people

BOUNDS = {
    # who is asking (3), the bell and the kinds of subject (2), the debrief, the group,
    # the reflections, the count written, the action items, the notes, the teams and
    # the picker's people (host)
    "host-page": 13,
    "member-page": 12,
    "partial": 12,
    "home": 8,
    # a browser's post, redirected: who is asking (3), the debrief, locked again (the
    # group may be changing), the policy's membership check, the reflection's upsert —
    # none of the page's queries, which the redirect's GET runs
    "reflection-post": 11,
    # the host's page and the action item (its form's group is the add form's query)
    "edit-page": 14,
    # who is asking, the debrief, the item, the owner chosen; the item again, locked,
    # the owner's membership, the update (and the savepoint's two statements); and
    # telling the owner of the change (six: notify's own, as for any notification).
    # Redirected, like every browser's post: none of the page's queries
    "edit-post": 16,
}


def grown(cast: Cast, size: int) -> tuple[GroupDebrief, Person]:
    """The manager's debrief of a team of ``size``, each with a reflection and an
    action item, opened; returns it and one member."""
    team = make_team(cast.org)
    members = bulk_people(cast.org, size, team=team, prefix=f"Member{size}")
    debrief = make_debrief(cast.manager, team=team)
    Reflection.objects.bulk_create(
        [Reflection(debrief=debrief, author=p, happened=f"what {p.pk}") for p in members]
    )
    open_now(debrief)
    due = timezone.localdate() + dt.timedelta(days=5)
    DebriefActionItem.objects.bulk_create(
        [
            DebriefActionItem(debrief=debrief, owner=p, description=f"do {p.pk}", due_on=due)
            for p in members
        ]
    )
    services.add_note(cast.manager, debrief, body="mine")
    return debrief, members[0]


def counts(debrief: GroupDebrief, member: Person, host: Person) -> dict[str, int]:
    url = reverse("debriefs:debrief", args=[debrief.code])
    host_client, member_client = client_for(host), client_for(member)

    def get(client: Client, target: str) -> None:
        assert client.get(target).status_code == 200

    def post() -> None:
        target = reverse("debriefs:reflection", args=[debrief.code])
        assert member_client.post(target, {"happened": "again"}).status_code == 302

    item = DebriefActionItem.objects.filter(debrief=debrief).first()
    assert item is not None
    edit = reverse("debriefs:action-edit", args=[debrief.code, item.code])

    def change() -> None:
        data = {"description": "changed", "owner": str(member.code), "due_on": item.due_on}
        assert host_client.post(edit, data).status_code == 302

    return {
        "host-page": count_queries(lambda: get(host_client, url)),
        "member-page": count_queries(lambda: get(member_client, url)),
        "partial": count_queries(lambda: get(htmx(member_client), url)),
        "reflection-post": count_queries(post),
        "edit-page": count_queries(lambda: get(host_client, edit)),
        "edit-post": count_queries(change),
    }


def test_the_debrief_page_does_not_grow_with_the_group(cast: Cast) -> None:
    small = counts(*grown(cast, 1), cast.manager)
    large = counts(*grown(cast, 50), cast.manager)
    assert small == large
    for name, count in small.items():
        assert count <= BOUNDS[name], (name, count)


def test_my_debriefs_do_not_grow_with_their_number(cast: Cast) -> None:
    client = client_for(cast.peer)
    seen = []
    for rows in (1, 50):
        while GroupDebrief.objects.filter(host=cast.peer).count() < rows:
            GroupDebrief.objects.create(
                organisation=cast.org,
                host=cast.peer,
                kind="team",
                title="A debrief",
                opens_at=timezone.now(),
            )
        seen.append(count_queries(lambda: client.get(reverse("debriefs:home"))))
    assert seen[0] == seen[1] <= BOUNDS["home"], seen
