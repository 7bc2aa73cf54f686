"""The growth world as a fixture (built in factories.py)."""

from __future__ import annotations

import pytest

from cairn.growth.tests.factories import Growth, build_growth
from cairn.testing import Cast


@pytest.fixture
def growth(cast: Cast) -> Growth:
    return build_growth(cast)
