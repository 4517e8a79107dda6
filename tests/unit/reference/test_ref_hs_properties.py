"""Property tests: every subheading is reachable by its code, validates with any national suffix, and has a path."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xborder import reference

SUBHEADINGS = [e for e in reference.hs_entries() if e.level == 6]


@settings(max_examples=200, deadline=None)
@given(entry=st.sampled_from(SUBHEADINGS), suffix=st.text(alphabet="0123456789", max_size=4), dotted=st.booleans())
def test_subheading_round_trips(entry: reference.HsEntry, suffix: str, dotted: bool) -> None:
    code = f"{entry.code[:4]}.{entry.code[4:]}{suffix}" if dotted else entry.code + suffix
    assert reference.hs_validate(code) == entry
    assert reference.hs_search(code, limit=1)[0].code == entry.code
    path = reference.hs_path(code)
    assert [p.level for p in path] == [0, 2, 4, 6]
    assert path[-1] == entry
