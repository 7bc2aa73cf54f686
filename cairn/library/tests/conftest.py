from __future__ import annotations

from dataclasses import dataclass

import pytest

from cairn.lib.testing import Cast
from cairn.mastery.testing import grant
from cairn.people.models import Person


@dataclass
class Library:
    """The cast at their levels of the library ladder.

    ``coach`` is at "coach" (publishes and reviews), ``manager`` at "publisher"
    (publishes, does not review), ``report`` at "contributor" and ``peer`` a
    "candidate" (both need a review); nobody else holds a level.
    """

    cast: Cast

    @property
    def reviewer(self) -> Person:
        return self.cast.coach

    @property
    def publisher(self) -> Person:
        return self.cast.manager

    @property
    def contributor(self) -> Person:
        return self.cast.report

    @property
    def candidate(self) -> Person:
        return self.cast.peer


@pytest.fixture
def lib(cast: Cast) -> Library:
    grant(cast.coach, "coach")
    grant(cast.manager, "publisher")
    grant(cast.report, "contributor")
    return Library(cast)
