"""Data contracts: every check has a bilingual message and a severity; culture packs and channel rules validate,
cite https sources and carry notes where uncertain; size tables are monotonic."""

from __future__ import annotations

import pytest

from xborder.kernel import Severity
from xborder.localization import available_channels, available_packs, channel_rules, check_codes, culture_pack
from xborder.localization.checks.base import message_catalog
from xborder.localization.checks.units import _tables


def test_every_check_has_a_severity_and_an_english_and_chinese_message() -> None:
    catalog = message_catalog()
    assert sorted(catalog) == check_codes()
    for code, entry in catalog.items():
        Severity(entry["severity"])
        assert entry["en"] and entry["zh"], code


@pytest.mark.parametrize("code", available_packs())
def test_culture_pack_entries_are_cited(code: str) -> None:
    pack = culture_pack(code)
    for compiled in pack.entries:
        entry = compiled.entry
        assert entry.reference.href.startswith("https://")
        assert entry.explanation.en and entry.explanation.zh
        assert entry.certainty == "confirmed" or entry.note, entry.id


@pytest.mark.parametrize("code", available_channels())
def test_channel_rules_are_cited(code: str) -> None:
    rules = channel_rules(code)
    assert rules.rule("title") is not None and rules.rule("title").required  # type: ignore[union-attr]
    for rule in rules.fields.values():
        assert rule.reference.href.startswith("https://")
        assert rule.certainty == "confirmed" or rule.note


def test_size_tables_increase_row_by_row() -> None:
    for table in _tables():
        for system in table.systems:
            column = [row[system] for row in table.rows if system in row]
            assert column == sorted(column), (table.kind, system)


def test_unknown_channel_names_the_known_ones() -> None:
    from xborder.kernel import NotFound

    with pytest.raises(NotFound, match="amazon"):
        channel_rules("ebay-moon")
