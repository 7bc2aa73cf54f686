"""Tags move to ``cairn.tags`` (2 of 3): mentoring's tags, built-in and each
organisation's own, and every profile's and enrolment's links to them. A tag that
the library has too (same organisation, same slug) becomes one row."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from cairn.tags.migrating import move_tags


def _models(apps: Any) -> tuple[Any, Any, list[tuple[Any, Any, str]]]:
    profile = apps.get_model("mentoring", "MentorProfile")
    enrolment = apps.get_model("mentoring", "Enrolment")
    links = [
        (profile.expertise.through, profile.shared_expertise.through, "mentorprofile_id"),
        (profile.goal_tags.through, profile.shared_goal_tags.through, "mentorprofile_id"),
        (enrolment.tags.through, enrolment.shared_tags.through, "enrolment_id"),
        (enrolment.goal_tags.through, enrolment.shared_goal_tags.through, "enrolment_id"),
    ]
    return apps.get_model("mentoring", "Tag"), apps.get_model("tags", "Tag"), links


def forwards(apps: Any, schema_editor: Any) -> None:
    own, shared, links = _models(apps)
    move_tags(own, shared, links)


def backwards(apps: Any, schema_editor: Any) -> None:
    own, shared, links = _models(apps)
    move_tags(shared, own, [(to, from_, owner) for from_, to, owner in links], backwards=True)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0003_shared_tags")]

    operations = [migrations.RunPython(forwards, backwards)]
