from __future__ import annotations

from typing import Any

from django.db import migrations

from cairn.mastery.builtin_ladders import sync_builtin_ladders


def load(apps: Any, schema_editor: Any) -> None:
    sync_builtin_ladders(
        apps.get_model("mastery", "Ladder"),
        apps.get_model("mastery", "Level"),
        apps.get_model("mastery", "LevelPrivilege"),
    )


class Migration(migrations.Migration):
    dependencies = [("mastery", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
