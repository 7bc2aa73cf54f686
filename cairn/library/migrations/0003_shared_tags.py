"""Tags move to ``cairn.tags``, shared with mentoring (1 of 3): the stories' and
questions' new links, empty for now. The move is three migrations so that, on
PostgreSQL, the rows copied in the second are committed before the third alters
the tables they are in."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("library", "0002_builtin_and_search"), ("tags", "0002_builtin")]

    operations = [
        migrations.AddField(
            model_name="story",
            name="shared_tags",
            field=models.ManyToManyField(related_name="stories", to="tags.tag"),
        ),
        migrations.AddField(
            model_name="question",
            name="shared_tags",
            field=models.ManyToManyField(blank=True, related_name="questions", to="tags.tag"),
        ),
    ]
