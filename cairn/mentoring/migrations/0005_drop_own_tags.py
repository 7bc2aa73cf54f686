"""Tags move to ``cairn.tags`` (3 of 3): mentoring's own tag table and links go,
and the shared links take their names."""

from __future__ import annotations

from django.db import migrations

LINKS = [
    ("mentorprofile", "expertise"),
    ("mentorprofile", "goal_tags"),
    ("enrolment", "tags"),
    ("enrolment", "goal_tags"),
]


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0004_copy_tags")]

    operations = [
        *(migrations.RemoveField(model_name=model, name=name) for model, name in LINKS),
        *(
            migrations.RenameField(model_name=model, old_name=f"shared_{name}", new_name=name)
            for model, name in LINKS
        ),
        migrations.DeleteModel(name="Tag"),
    ]
