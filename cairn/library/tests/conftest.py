from __future__ import annotations

import pytest

from cairn.lib.testing import Cast
from cairn.library.testing import Library, at_library_levels


@pytest.fixture
def lib(cast: Cast) -> Library:
    return at_library_levels(cast)
