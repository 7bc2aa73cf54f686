"""The library and mentoring each had a tag table of their own; their migrations
move the rows into ``cairn.tags``. Nobody's tags or links may be lost on the way,
and a word both apps had becomes one tag."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cairn.library.models import Story
from cairn.mentoring.models import MentorProfile
from cairn.tags.builtin import BUILTIN_TAGS
from cairn.tags.models import Tag
from cairn.testing import make_org, make_person

# The state before the data migrations: both apps have their own tags, and empty
# links to the shared ones.
BEFORE = [("library", "0003_shared_tags"), ("mentoring", "0003_shared_tags")]


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
    """Every app's latest migration: going back also unapplies other apps'
    migrations that depend on these, and coming forward must bring them back."""
    leaves: list[tuple[str, str]] = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return leaves


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

    # An organisation's own word that is a built-in of the other app.
    library_architecture = library_tag.objects.create(
        organisation_id=org.pk, slug="architecture", name="Architecture (ours)"
    )
    ours, theirs = (
        story(author, library_on_call, library_leadership, library_architecture),
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
    architecture = tag.objects.get(organisation=None, slug="architecture")

    story = apps.get_model("library", "Story").objects
    # The organisation's "architecture" is the built-in one: nobody sees the word twice.
    assert set(story.get(pk=old["ours"]).tags.all()) == {on_call, leadership, architecture}
    assert not tag.objects.filter(organisation_id=old["org"], slug="architecture").exists()
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

    # One row per word and organisation. The name kept is that of the app whose tags
    # ``migrate`` moves first — library's or mentoring's, by the order the migration
    # plan takes (which the apps added later, depending on one or the other, change);
    # a built-in takes the name the shared vocabulary gives it.
    assert tag.objects.filter(organisation_id=old["org"]).count() == 2
    assert on_call.name in {"On-call", "On call (pager)"}
    assert (elsewhere.name, payments.name) == ("On call", "Payments")
    assert leadership.name == "Leadership"
    assert tag.objects.filter(slug="leadership").count() == 1


@pytest.mark.django_db(transaction=True)
def test_going_back_puts_each_apps_links_in_its_own_table_again() -> None:
    # Rows of today's models, then back to each app's own table (and forward again,
    # for the tests that follow on this database).
    latest = _latest()
    org = make_org("Acme")
    author, mentor = make_person(org, "Riley Report"), make_person(org, "Tomasz Mentor")
    on_call = Tag.objects.create(organisation=org, slug="on-call", name="On-call")
    payments = Tag.objects.create(organisation=org, slug="payments", name="Payments")
    Tag.objects.create(organisation=org, slug="unused", name="Nobody uses this")
    # Longer than the library's old table allowed (40 then, 60 now).
    long_word = Tag.objects.create(organisation=org, slug="w" * 60, name="W" * 60)
    story = Story.objects.create(
        organisation=org,
        author=author,
        title="Paged at night",
        problem="p",
        actions="a",
        lessons="l",
    )
    story.tags.set([on_call, long_word])
    profile = MentorProfile.objects.create(organisation=org, person=mentor, helps_with="Pagers")
    profile.expertise.set([on_call, payments])

    apps = _migrate(BEFORE)
    old_story = apps.get_model("library", "Story").objects.get(pk=story.pk)
    assert {t.slug for t in old_story.tags.all()} == {"on-call", "w" * 40}
    old_profile = apps.get_model("mentoring", "MentorProfile").objects.get(pk=profile.pk)
    assert {t.slug for t in old_profile.expertise.all()} == {"on-call", "payments"}
    # Only the words an app's rows use, and the built-ins, go back into its table.
    library_tags = apps.get_model("library", "Tag").objects
    assert not library_tags.filter(slug__in=["payments", "unused"]).exists()
    assert library_tags.filter(organisation=None, slug="leadership").exists()

    _migrate(latest)


def test_built_in_tags_fit_the_old_tables_their_first_migrations_write_into() -> None:
    # library/0002 and mentoring/0002 load today's built-ins into the apps' own old
    # tables, whose slug and name held 40 characters (the library's).
    assert all(len(slug) <= 40 and len(name) <= 40 for slug, name in BUILTIN_TAGS.items())
