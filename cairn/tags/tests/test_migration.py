"""The library and mentoring each had a tag table of their own; their migrations
move the rows into ``cairn.tags``. Nobody's tags or links may be lost on the way,
and a word both apps had becomes one tag."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cairn.testing import make_org, make_person

# The state before the data migrations: both apps have their own tags, and empty
# links to the shared ones.
BEFORE = [("library", "0003_shared_tags"), ("mentoring", "0003_shared_tags")]
APPS = ("tags", "library", "mentoring")


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets`` and return the models as they were there. One app at a
    time: unapplying both apps' migrations at once would also replay, on rendered
    models, every migration between them in the plan (twice as slow)."""
    executor = MigrationExecutor(connection)
    for target in targets:
        executor.migrate([target])
        executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    graph = MigrationExecutor(connection).loader.graph
    return [node for node in graph.leaf_nodes() if node[0] in APPS]


def _old_world(apps: Any) -> dict[str, Any]:
    """Rows of both apps before the move: each app's own "on-call" tag in one
    organisation (a word they share), the same slug in another organisation, a
    built-in the two named differently, and a tag only mentoring had."""
    org, other = make_org("Acme"), make_org("Elsewhere Ltd")
    author, mentor = make_person(org, "Riley Report"), make_person(org, "Tomasz Mentor")
    outsider = make_person(other, "Olga Outsider")
    library_tag, mentoring_tag = (
        apps.get_model("library", "Tag"),
        apps.get_model("mentoring", "Tag"),
    )
    story_model, question_model = (
        apps.get_model("library", "Story"),
        apps.get_model("library", "Question"),
    )

    library_on_call = library_tag.objects.create(
        organisation_id=org.pk, slug="on-call", name="On-call"
    )
    elsewhere_on_call = library_tag.objects.create(
        organisation_id=other.pk, slug="on-call", name="On call"
    )
    library_leadership, _ = library_tag.objects.update_or_create(
        organisation=None, slug="leadership", defaults={"name": "Leadership"}
    )
    mentoring_on_call = mentoring_tag.objects.create(
        organisation_id=org.pk, slug="on-call", name="On call (pager)"
    )
    payments = mentoring_tag.objects.create(
        organisation_id=org.pk, slug="payments", name="Payments"
    )
    mentoring_leadership, _ = mentoring_tag.objects.update_or_create(
        organisation=None, slug="leadership", defaults={"name": "Technical leadership"}
    )

    def story(person: Any, *tags: Any) -> Any:
        made = story_model.objects.create(
            organisation_id=person.organisation_id,
            author_id=person.pk,
            title="Paged at night",
            problem="p",
            actions="a",
            lessons="l",
        )
        made.tags.set(tags)
        return made

    ours, theirs = (
        story(author, library_on_call, library_leadership),
        story(outsider, elsewhere_on_call),
    )
    question = question_model.objects.create(
        organisation_id=org.pk, key="own-1", framework="grow", stage="goal", text="Who is on call?"
    )
    question.tags.set([library_on_call])

    profile = apps.get_model("mentoring", "MentorProfile").objects.create(
        organisation_id=org.pk, person_id=mentor.pk, helps_with="Pager duty"
    )
    profile.expertise.set([mentoring_on_call, payments])
    profile.goal_tags.set([mentoring_leadership])
    day = dt.date(2026, 1, 5)
    program = apps.get_model("mentoring", "Program").objects.create(
        organisation_id=org.pk,
        slug="spring",
        name="Spring",
        purpose="Learn",
        starts_on=day,
        ends_on=day,
        enrolment_opens=day,
        enrolment_closes=day,
    )
    enrolment = apps.get_model("mentoring", "Enrolment").objects.create(
        program_id=program.pk, person_id=author.pk, role="mentee"
    )
    enrolment.tags.set([mentoring_on_call])
    enrolment.goal_tags.set([mentoring_leadership, payments])
    return {
        "org": org.pk,
        "other": other.pk,
        "ours": ours.pk,
        "theirs": theirs.pk,
        "question": question.pk,
        "profile": profile.pk,
        "enrolment": enrolment.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_both_apps_tags_and_links_survive_and_a_shared_word_is_one_tag() -> None:
    latest = _latest()
    old = _old_world(_migrate(BEFORE))

    apps = _migrate(latest)
    tag = apps.get_model("tags", "Tag")
    on_call = tag.objects.get(organisation_id=old["org"], slug="on-call")
    elsewhere = tag.objects.get(organisation_id=old["other"], slug="on-call")
    payments = tag.objects.get(organisation_id=old["org"], slug="payments")
    leadership = tag.objects.get(organisation=None, slug="leadership")

    story = apps.get_model("library", "Story").objects
    assert set(story.get(pk=old["ours"]).tags.all()) == {on_call, leadership}
    assert list(story.get(pk=old["theirs"]).tags.all()) == [elsewhere]
    assert list(
        apps.get_model("library", "Question").objects.get(pk=old["question"]).tags.all()
    ) == [on_call]
    profile = apps.get_model("mentoring", "MentorProfile").objects.get(pk=old["profile"])
    assert set(profile.expertise.all()) == {on_call, payments}
    assert list(profile.goal_tags.all()) == [leadership]
    enrolment = apps.get_model("mentoring", "Enrolment").objects.get(pk=old["enrolment"])
    assert list(enrolment.tags.all()) == [on_call]
    assert set(enrolment.goal_tags.all()) == {leadership, payments}

    # One row per word and organisation. ``migrate`` moves the library's tags first
    # (apps in the order of their names), so the library's name is the one kept; a
    # built-in takes the name the shared vocabulary gives it.
    assert tag.objects.filter(organisation_id=old["org"]).count() == 2
    assert (on_call.name, elsewhere.name, payments.name) == ("On-call", "On call", "Payments")
    assert leadership.name == "Leadership"
    assert tag.objects.filter(slug="leadership").count() == 1
