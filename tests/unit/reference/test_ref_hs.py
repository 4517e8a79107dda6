"""HS 2022 nomenclature: data integrity, Chinese coverage, lookup, validation, children and paths."""

from __future__ import annotations

import pytest

from xborder import reference
from xborder.kernel import NotFound, ValidationFailed

# headings and subheadings the demo catalog uses; each needs a Chinese description
DEMO_CODES = [
    "8518", "851830", "851822", "851829", "8516", "851671", "851679", "851631", "8504", "850440", "8507", "850760",
    "8544", "854442", "3926", "4202", "8517", "851762", "851713", "9102", "9405", "8539", "9503", "3304", "6109",
    "6110", "6403", "6404", "6912", "7323", "9617", "9403", "9506", "8471", "8525", "8508", "8509",
]


def test_nomenclature_counts() -> None:
    entries = reference.hs_entries()
    by_level = {level: sum(1 for e in entries if e.level == level) for level in (2, 4, 6)}
    assert by_level == {2: 96, 4: 1228, 6: 5612}
    assert len(reference.hs_sections()) == 21


def test_every_entry_has_an_existing_parent_and_section() -> None:
    for entry in reference.hs_entries():
        parent = reference.hs_lookup(entry.parent or "")
        assert parent is not None, entry.code
        assert parent.level < entry.level
        assert entry.section == parent.section


def test_all_sections_chapters_and_demo_headings_have_chinese() -> None:
    missing = [e.code for e in reference.hs_sections() if not e.description_zh]
    missing += [e.code for e in reference.hs_entries() if e.level == 2 and not e.description_zh]
    missing += [c for c in DEMO_CODES if not (reference.hs_lookup(c) and reference.hs_lookup(c).description_zh)]
    assert missing == []


@pytest.mark.parametrize("chapter", ["33", "39", "42", "61", "62", "63", "64", "69", "70", "71", "73", "84", "85",
                                     "90", "94", "95", "96"])
def test_all_headings_of_consumer_chapters_have_chinese(chapter: str) -> None:
    headings = reference.hs_children(chapter)
    assert headings
    assert [h.code for h in headings if not h.description_zh] == []


@pytest.mark.parametrize(("code", "expected"), [("8518", "8518"), ("8518.30", "851830"), ("85 18 30", "851830"),
                                                ("85", "85"), ("XVI", "XVI")])
def test_lookup_normalizes(code: str, expected: str) -> None:
    entry = reference.hs_lookup(code)
    assert entry is not None
    assert entry.code == expected


@pytest.mark.parametrize("code", ["999999", "77", "9999", "abc", "", "85183000"])
def test_lookup_returns_none_for_non_entries(code: str) -> None:
    assert reference.hs_lookup(code) is None


def test_lookup_fields() -> None:
    entry = reference.hs_lookup("851830")
    assert entry is not None
    assert (entry.level, entry.parent, entry.section) == (6, "8518", "XVI")
    assert "earphones" in entry.description_en.lower()
    assert "耳机" in (entry.description_zh or "")


@pytest.mark.parametrize(("code", "expected"), [("851830", "851830"), ("8518.30", "851830"), ("85183000", "851830"),
                                                ("8518.30.00.90", "851830"), ("6109100010", "610910"),
                                                ("8507600", "850760")])
def test_validate_accepts_hs_and_national_codes(code: str, expected: str) -> None:
    assert reference.hs_validate(code).code == expected


def test_validate_rejects_unknown_code_with_field_in_message() -> None:
    with pytest.raises(ValidationFailed) as caught:
        reference.hs_validate("999999")
    assert str(caught.value) == "hs_code: 999999 is not an HS 2022 code"
    assert caught.value.details[0].field == "hs_code"


@pytest.mark.parametrize("code", ["8518", "85", "12345", "12345678901", "abcdef", "", "851899"])
def test_validate_rejects_short_long_malformed_and_unknown(code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        reference.hs_validate(code, field="rows.hs_code")
    assert caught.value.details[0].field == "rows.hs_code"
    assert caught.value.message.startswith("rows.hs_code: ")


def test_children() -> None:
    assert [c.code for c in reference.hs_children("8518")] == ["851810", "851821", "851822", "851829", "851830",
                                                               "851840", "851850", "851890"]
    assert [c.code for c in reference.hs_children("XI")][:2] == ["50", "51"]
    assert reference.hs_children("851830") == []
    with pytest.raises(NotFound):
        reference.hs_children("999999")


def test_path_from_section_down() -> None:
    path = reference.hs_path("8518.30.00")
    assert [(e.code, e.level) for e in path] == [("XVI", 0), ("85", 2), ("8518", 4), ("851830", 6)]
    assert [e.code for e in reference.hs_path("61")] == ["XI", "61"]
    with pytest.raises(NotFound) as caught:
        reference.hs_path("999999")
    assert caught.value.details[0].field == "hs_code"
