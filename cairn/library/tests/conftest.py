from __future__ import annotations

import pytest

from cairn.library.tests.factories import Library, at_library_levels
from cairn.testing import Cast


@pytest.fixture
def lib(cast: Cast) -> Library:
    return at_library_levels(cast)
