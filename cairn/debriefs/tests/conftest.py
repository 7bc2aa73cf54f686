"""The debrief worlds as fixtures (built in factories.py)."""

from __future__ import annotations

import pytest

from cairn.debriefs.tests.factories import World, build_world
from cairn.testing import Cast


@pytest.fixture
def before(cast: Cast) -> World:
    """Reflections written, the session not open yet."""
    return build_world(cast, opened=False)


@pytest.fixture
def after(cast: Cast) -> World:
    """The session open, with an action item for the report."""
    return build_world(cast, opened=True)
