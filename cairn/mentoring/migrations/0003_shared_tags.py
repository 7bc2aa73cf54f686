"""Tags move to ``cairn.tags``, shared with the library (1 of 3): the profiles' and
enrolments' new links, empty for now. The move is three migrations so that, on
PostgreSQL, the rows copied in the second are committed before the third alters
the tables they are in."""

from __future__ import annotations

from django.db import migrations, models

NEW_LINKS = [
    ("mentorprofile", "shared_expertise"),
    ("mentorprofile", "shared_goal_tags"),
    ("enrolment", "shared_tags"),
    ("enrolment", "shared_goal_tags"),
]


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0002_builtin_tags"), ("tags", "0002_builtin")]

    operations = [
        migrations.AddField(
            model_name=model,
            name=name,
            field=models.ManyToManyField(blank=True, related_name="+", to="tags.tag"),
        )
        for model, name in NEW_LINKS
    ]
