"""Contract every shipped rule pack passes: validates, lints clean, and has YAML cases beside it."""

from __future__ import annotations

import pytest

from xborder.compliance import load_library
from xborder.compliance.validate import lint_library

from .conftest import JURISDICTIONS

LIBRARY = load_library()


def test_shipped_library_lints_clean() -> None:
    assert [f"{d.field}: {d.message}" for d in lint_library(LIBRARY)] == []


def test_at_least_twenty_markets() -> None:
    assert len(LIBRARY.markets()) >= 20


@pytest.mark.parametrize("folder", sorted(LIBRARY.packs))
def test_every_pack_with_own_rules_has_cases(folder: str) -> None:
    if LIBRARY.rules[folder]:
        assert (JURISDICTIONS / folder / "cases.yaml").is_file(), f"{folder}/cases.yaml is missing"
