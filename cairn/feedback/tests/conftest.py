"""The feedback world as a fixture (built in factories.py)."""

from __future__ import annotations

import pytest

from cairn.feedback.tests.factories import World, build_world
from cairn.testing import Cast


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)
