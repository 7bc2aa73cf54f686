from __future__ import annotations

import pytest

from cairn.evaluation.tests.factories import Evaluation, build_evaluation
from cairn.testing import Cast


@pytest.fixture
def evaluation(cast: Cast) -> Evaluation:
    return build_evaluation(cast)
