"""Loader (`extends`, caching, folder checks) and schema errors that name file, key and version index."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from xborder.kernel import NotFound, ValidationFailed
from xborder.markets import loader
from xborder.markets.schema import parse_facts_file

REF = {"title": "Source", "href": "https://example.org/law"}


def _version(value: object, **extra: object) -> dict[str, object]:
    return {"valid_from": "2020-01-01", "value": value, "reference": REF, "checked_on": "2026-11-01", **extra}


def _file(**facts: dict[str, object]) -> dict[str, object]:
    return {"jurisdiction": "DE", "name": {"en": "Germany", "zh": "德国"}, "facts": facts}


RATE = {"description": "Standard rate", "unit": "percent", "versions": [_version("19")]}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(loader, "_root", lambda: tmp_path)
    loader.clear_cache()
    yield tmp_path
    loader.clear_cache()


def _write(root: Path, folder: str, data: dict[str, object]) -> None:
    (root / folder).mkdir()
    (root / folder / "facts.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_extends_merges_parent_facts_and_child_wins(tree: Path) -> None:
    parent = {"jurisdiction": "EU", "name": {"en": "EU", "zh": "欧盟"},
              "facts": {"tax.standard_rate": RATE, "tax.name": {"description": "n", "unit": "text",
                                                                "versions": [_version("VAT")]}}}
    child_rate = copy.deepcopy(RATE)
    child_rate["versions"][0]["value"] = "16"
    _write(tree, "eu", parent)
    _write(tree, "de", {**_file(**{"tax.standard_rate": child_rate}), "extends": "eu"})
    loaded = loader.load_jurisdiction("de")
    assert loaded.facts["tax.standard_rate"].versions[0].value == "16"
    assert loaded.facts["tax.name"].versions[0].value == "VAT"
    assert loaded.origin == {"tax.standard_rate": "de", "tax.name": "eu"}
    assert loader.jurisdiction_codes() == ("de", "eu")


def test_extends_unknown_parent_and_cycles_are_errors(tree: Path) -> None:
    _write(tree, "de", {**_file(**{"tax.standard_rate": RATE}), "extends": "xx"})
    with pytest.raises(ValidationFailed, match="extends unknown folder"):
        loader.load_jurisdiction("de")
    loader.clear_cache()
    _write(tree, "fr", {**_file(**{"tax.standard_rate": RATE}), "jurisdiction": "FR", "extends": "it"})
    _write(tree, "it", {**_file(**{"tax.standard_rate": RATE}), "jurisdiction": "IT", "extends": "fr"})
    with pytest.raises(ValidationFailed, match="cycle"):
        loader.load_jurisdiction("fr")


def test_unknown_folder_is_not_found(tree: Path) -> None:
    with pytest.raises(NotFound):
        loader.read_facts_file("zz")


def test_jurisdiction_must_match_folder(tree: Path) -> None:
    _write(tree, "fr", _file(**{"tax.standard_rate": RATE}))
    with pytest.raises(ValidationFailed, match="does not match folder"):
        loader.read_facts_file("fr")


def test_broken_yaml_names_the_file_and_line(tree: Path) -> None:
    (tree / "de").mkdir()
    (tree / "de" / "facts.yaml").write_text("jurisdiction: DE\nfacts: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"jurisdictions/de/facts.yaml: line \d+"):
        loader.read_facts_file("de")


def _problem(data: object) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        parse_facts_file(data, source="jurisdictions/de/facts.yaml")
    return caught.value


def test_float_rate_names_key_and_version_index() -> None:
    bad = copy.deepcopy(RATE)
    bad["versions"].append({**_version(16.0), "valid_from": "2020-07-01"})
    error = _problem(_file(**{"tax.standard_rate": bad}))
    assert error.details[0].field == "facts.tax.standard_rate.versions[1].value"
    assert "jurisdictions/de/facts.yaml" in error.message
    assert "quoted decimal string" in error.message


def test_missing_reference_names_the_version() -> None:
    version = _version("19")
    del version["reference"]
    error = _problem(_file(**{"tax.standard_rate": {**RATE, "versions": [version]}}))
    assert error.details[0].field == "facts.tax.standard_rate.versions[0].reference"


def test_http_href_is_refused() -> None:
    version = _version("19", reference={"title": "x", "href": "http://example.org"})
    error = _problem(_file(**{"tax.standard_rate": {**RATE, "versions": [version]}}))
    assert error.details[0].field == "facts.tax.standard_rate.versions[0].reference.href"


def test_uncertain_without_note_is_refused() -> None:
    error = _problem(_file(**{"tax.standard_rate": {**RATE, "versions": [_version("19", certainty="uncertain")]}}))
    assert error.details[0].field == "facts.tax.standard_rate.versions[0]"
    assert "needs a note" in error.message


def test_versions_out_of_order_are_refused() -> None:
    versions = [{**_version("16"), "valid_from": "2020-07-01"}, _version("19")]
    error = _problem(_file(**{"tax.standard_rate": {**RATE, "versions": versions}}))
    assert "versions[1].valid_from" in error.message


def test_enum_value_and_unit_of_required_key_are_checked() -> None:
    basis = {"description": "b", "unit": "enum", "versions": [_version("DDP")]}
    wrong_unit = {"description": "c", "unit": "text", "versions": [_version("EUR")]}
    error = _problem(_file(**{"customs.valuation_basis": basis, "currency": wrong_unit}))
    fields = {detail.field for detail in error.details}
    assert fields == {"facts.customs.valuation_basis.versions[0].value", "facts.currency.unit"}


def test_de_minimis_entry_problems_name_the_item() -> None:
    entry = {"amount": "150", "currency": "EUR", "basis": "retail", "origins": ["CN"], "excluded_origins": ["HK"]}
    error = _problem(_file(**{"de_minimis.duty": {"description": "d", "unit": "de_minimis",
                                                  "versions": [_version([entry])]}}))
    assert error.details[0].field == "facts.de_minimis.duty.versions[0].value"
    assert "item [0].basis" in error.message


def test_de_minimis_null_is_refused() -> None:
    error = _problem(_file(**{"de_minimis.duty": {"description": "d", "unit": "de_minimis",
                                                  "versions": [_version(None, note="gone")]}}))
    assert "never null" in error.message


def test_bad_calendar_rule_names_the_event() -> None:
    event = {"id": "x", "name": {"en": "X", "zh": "某"}, "kind": "shopping_event", "rule": "easter+1"}
    events = {"description": "e", "unit": "list", "versions": [_version([event])]}
    error = _problem(_file(**{"calendar.events": events}))
    assert error.details[0].field == "facts.calendar.events.versions[0].value"
    assert "item [0].rule" in error.message


def test_unknown_top_level_field_is_refused() -> None:
    error = _problem({**_file(**{"tax.standard_rate": RATE}), "extra": 1})
    assert error.details[0].field == "extra"
