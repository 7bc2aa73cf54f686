"""Whatever an unknown section holds — any JSON the schema allows — comes back from
an import exactly as it went in: same values, same order, same bytes."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.export import document as doc
from cairn.export import services
from cairn.testing import make_org, make_person

# Field names without "_", so none is taken for a date (*_at, *_on, *_date).
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
# Text a database can store: no lone surrogates, no control characters but tab,
# newline and carriage return (an import refuses those: test_import_hostile.py).
storable = st.characters(
    codec="utf-8",  # no lone surrogates
    exclude_characters=[chr(c) for c in range(32) if chr(c) not in "\t\n\r"],
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=storable, max_size=40)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=4),
    max_leaves=12,
)
items = st.lists(st.dictionaries(names, values, max_size=6), max_size=5)


# The profile (conftest.py) sets how many examples; ``db`` is one transaction for
# them all, which is what the function_scoped_fixture check warns about, and the
# fresh person per example keeps the examples apart.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sections=st.dictionaries(names.map(lambda n: f"x_{n}"), items, min_size=1, max_size=3))
def test_unknown_sections_come_back_verbatim(db: None, sections: dict[str, Any]) -> None:
    person = make_person(make_org())
    document = doc.export_document(person)
    document["sections"].update(sections)
    data = doc.dumps(document).encode()

    services.import_document(person, person, services.parse(data))

    again = doc.export_document(person)
    for key, kept in sections.items():
        assert again["sections"][key] == kept
    assert doc.dumps({**again, "exported_at": document["exported_at"]}) == doc.dumps(document)
