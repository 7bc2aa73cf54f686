"""The layers hold in templates too: import-linter sees Python imports only, so a
template could still link or include upward (the session page once included growth's
objectives and linked the library's views). An app's templates name URLs and include
templates of their own app and the layers below it only — what sits above or beside
comes in through a panel (cairn.lib.panels)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CAIRN = ROOT / "cairn"
REFERENCE = re.compile(r"""\{%\s*(?:url|include)\s+["']([a-z_]+)[:/]""")


def layers() -> list[set[str]]:
    """The layers of pyproject.toml's import-linter contract, lowest first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    return [
        {name.strip(" ()") for name in re.split(r"[|:]", layer)}
        for layer in reversed(contract["layers"])
    ]


def rank_of(app: str) -> int:
    return next(rank for rank, layer in enumerate(layers()) if app in layer)


def apps_named_in(text: str) -> set[str]:
    return set(REFERENCE.findall(text))


def forbidden_references(app: str, text: str) -> set[str]:
    """The apps a template of ``app`` names that are above it or beside it."""
    known = set().union(*layers())
    return {
        other
        for other in apps_named_in(text) & known
        if other != app and rank_of(other) >= rank_of(app)
    }


APPS = sorted(d.name for d in CAIRN.iterdir() if (d / "templates").is_dir())


@pytest.mark.parametrize("app", APPS)
def test_templates_name_only_their_own_app_and_the_layers_below(app: str) -> None:
    found = {
        str(path.relative_to(CAIRN)): sorted(forbidden)
        for path in (CAIRN / app / "templates").rglob("*.html")
        if (forbidden := forbidden_references(app, path.read_text()))
    }
    assert found == {}


def test_an_upward_or_sideways_reference_is_caught() -> None:
    assert forbidden_references("coaching", '{% include "growth/_objectives.html" %}') == {"growth"}
    assert forbidden_references("coaching", "{% url 'library:session-questions' s.code %}") == {
        "library"
    }
    assert forbidden_references("growth", "{% url 'mentoring:directory' %}") == {"mentoring"}
    assert forbidden_references("growth", "{% url 'coaching:session' s.code %}") == set()
    assert forbidden_references("growth", '{% include "field.html" %}') == set()


def test_every_app_with_templates_is_in_a_layer() -> None:
    assert set(APPS) - set().union(*layers()) == set()
