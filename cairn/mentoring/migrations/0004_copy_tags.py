"""Tags move to ``cairn.tags`` (2 of 3): mentoring's tags, built-in and each
organisation's own, and every profile's and enrolment's links to them. A tag that
the library has too (same organisation, same slug) becomes one row."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from cairn.tags.migrating import move_operation


def _links(apps: Any) -> list[tuple[Any, Any, str]]:
    profile = apps.get_model("mentoring", "MentorProfile")
    enrolment = apps.get_model("mentoring", "Enrolment")
    return [
        (profile.expertise.through, profile.shared_expertise.through, "mentorprofile_id"),
        (profile.goal_tags.through, profile.shared_goal_tags.through, "mentorprofile_id"),
        (enrolment.tags.through, enrolment.shared_tags.through, "enrolment_id"),
        (enrolment.goal_tags.through, enrolment.shared_goal_tags.through, "enrolment_id"),
    ]


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0003_shared_tags")]

    operations = [move_operation("mentoring", _links)]
