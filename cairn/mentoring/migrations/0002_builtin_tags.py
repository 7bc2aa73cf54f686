from __future__ import annotations

from typing import Any

from django.db import migrations

from cairn.tags.builtin import sync_builtin_tags


def load(apps: Any, schema_editor: Any) -> None:
    sync_builtin_tags(apps.get_model("mentoring", "Tag"))


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
