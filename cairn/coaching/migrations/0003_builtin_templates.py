from __future__ import annotations

from typing import Any

from django.db import migrations

from cairn.coaching.builtin_templates import sync_builtin_templates


def load(apps: Any, schema_editor: Any) -> None:
    sync_builtin_templates(
        apps.get_model("coaching", "SessionTemplate"), apps.get_model("coaching", "TemplateSection")
    )


class Migration(migrations.Migration):
    dependencies = [("coaching", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
