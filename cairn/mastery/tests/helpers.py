from __future__ import annotations

from pathlib import Path

from cairn.mastery.models import Framework
from cairn.mastery.services import import_framework_into
from cairn.people.models import Organisation

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "frameworks" / "cairn-engineering.yaml"


def import_example(org: Organisation) -> Framework:
    return import_framework_into(org, EXAMPLE.read_bytes(), filename=EXAMPLE.name)
