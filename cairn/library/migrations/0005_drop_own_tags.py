"""Tags move to ``cairn.tags`` (3 of 3): the library's own tag table and links go,
and the shared links take their names."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("library", "0004_copy_tags")]

    operations = [
        migrations.RemoveField(model_name="story", name="tags"),
        migrations.RemoveField(model_name="question", name="tags"),
        migrations.RenameField(model_name="story", old_name="shared_tags", new_name="tags"),
        migrations.RenameField(model_name="question", old_name="shared_tags", new_name="tags"),
        migrations.DeleteModel(name="Tag"),
    ]
