"""One contract every folder under markets/jurisdictions/ passes (holidays' CommonCountryTests, OpenFisca style).

Folders are discovered at collection time, so markets added later are covered without editing this file.
"""

from __future__ import annotations

import re
from datetime import date

import pycountry
import pytest

from xborder import markets
from xborder.kernel import ValidationFailed, known_currencies, language_tag
from xborder.markets import loader
from xborder.markets.calendar import expand_rule
from xborder.markets.schema import REQUIRED_KEYS

COVERAGE_START = date(2020, 1, 1)
REQUIRED_MARKETS = frozenset({
    "US", "CA", "MX", "BR", "GB", "DE", "FR", "IT", "ES", "NL", "PL", "SE", "JP", "KR",
    "AU", "SG", "MY", "TH", "VN", "ID", "PH", "SA", "AE", "TR", "ZA", "NG", "KE",
})
FOLDERS = loader.jurisdiction_codes()
SHARED = ("eu",)
MARKETS = tuple(folder for folder in FOLDERS if folder not in SHARED)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _value(folder: str, key: str, on: date) -> object:
    versions = loader.load_jurisdiction(folder).facts[key].versions
    in_force = [v for v in versions if v.valid_from <= on]
    return in_force[-1].value if in_force else None


def test_every_required_market_has_a_folder() -> None:
    present = {folder.upper() for folder in MARKETS}
    assert sorted(REQUIRED_MARKETS - present) == []


@pytest.mark.parametrize("folder", FOLDERS)
def test_file_validates_and_extends_resolve(folder: str) -> None:
    loaded = loader.load_jurisdiction(folder)
    assert loaded.code == ("EU" if folder == "eu" else folder.upper())


@pytest.mark.parametrize("folder", FOLDERS)
def test_names_in_english_and_chinese(folder: str) -> None:
    name = loader.read_facts_file(folder).name
    assert name.en.strip()
    assert _CJK.search(name.zh), f"{folder}: name.zh {name.zh!r} has no Chinese characters"


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_version_is_cited_and_dated(folder: str) -> None:
    for key, fact in loader.read_facts_file(folder).facts.items():
        for index, version in enumerate(fact.versions):
            where = f"{folder}: {key} versions[{index}]"
            assert version.reference.href.startswith("https://"), where
            assert version.reference.title.strip(), where
            assert version.checked_on >= date(2020, 1, 1), f"{where}: checked_on {version.checked_on} is stale"
            assert version.checked_on <= date.today(), f"{where}: checked_on {version.checked_on} is in the future"


@pytest.mark.parametrize("folder", FOLDERS)
def test_uncertain_disputed_and_null_versions_carry_notes(folder: str) -> None:
    for key, fact in loader.read_facts_file(folder).facts.items():
        for index, version in enumerate(fact.versions):
            if version.certainty != "confirmed" or version.value is None:
                assert (version.note or "").strip(), f"{folder}: {key} versions[{index}] needs a note"


@pytest.mark.parametrize("folder", FOLDERS)
def test_versions_in_date_order_without_duplicates(folder: str) -> None:
    for key, fact in loader.read_facts_file(folder).facts.items():
        starts = [v.valid_from for v in fact.versions]
        assert starts == sorted(set(starts)), f"{folder}: {key} versions out of order or duplicated"


@pytest.mark.parametrize("market", MARKETS)
def test_required_keys_present_after_extends(market: str) -> None:
    facts = loader.load_jurisdiction(market).facts
    missing = sorted(set(REQUIRED_KEYS) - set(facts))
    assert missing == [], f"{market}: missing {missing}"
    wrong_units = {k: facts[k].unit for k, unit in REQUIRED_KEYS.items() if facts[k].unit != unit}
    assert wrong_units == {}


@pytest.mark.parametrize("market", MARKETS)
def test_no_gaps_since_2020(market: str) -> None:
    facts = loader.load_jurisdiction(market).facts
    late = {key: str(facts[key].versions[0].valid_from) for key in REQUIRED_KEYS
            if facts[key].versions[0].valid_from > COVERAGE_START}
    assert late == {}, f"{market}: first version starts after {COVERAGE_START}"


@pytest.mark.parametrize("market", MARKETS)
def test_currency_is_known(market: str) -> None:
    for version in loader.load_jurisdiction(market).facts["currency"].versions:
        assert version.value in known_currencies(), f"{market}: unknown currency {version.value!r}"


@pytest.mark.parametrize("market", MARKETS)
def test_de_minimis_currencies_are_known(market: str) -> None:
    facts = loader.load_jurisdiction(market).facts
    for key in ("de_minimis.duty", "de_minimis.tax"):
        for version in facts[key].versions:
            for entry in version.value:
                assert entry["currency"] in known_currencies(), f"{market}: {key} {entry}"


@pytest.mark.parametrize("market", MARKETS)
def test_languages_are_bcp47(market: str) -> None:
    facts = loader.load_jurisdiction(market).facts
    for key in ("languages.official", "languages.marketplace"):
        for version in facts[key].versions:
            for tag in version.value:
                assert language_tag(tag) == tag, f"{market}: {key} {tag!r} is not in canonical BCP 47 case"
                primary = tag.split("-")[0]
                known = pycountry.languages.get(alpha_2=primary) or pycountry.languages.get(alpha_3=primary)
                assert known is not None, f"{market}: {key} {tag!r} has an unknown language subtag"


@pytest.mark.parametrize("market", MARKETS)
def test_calendar_rules_expand(market: str) -> None:
    events = loader.load_jurisdiction(market).facts["calendar.events"].versions[-1].value
    assert events, f"{market}: no calendar events"
    ids = [event["id"] for event in events]
    assert len(ids) == len(set(ids)), f"{market}: duplicate event ids"
    for event in events:
        try:
            occurrences = expand_rule(event["rule"], 2020, 2030)
        except ValidationFailed as exc:  # pragma: no cover - message is the point
            pytest.fail(f"{market}: event {event['id']}: {exc.message}")
        assert occurrences, f"{market}: event {event['id']} never occurs 2020..2030"


@pytest.mark.parametrize("market", MARKETS)
def test_has_public_holidays_and_marketplaces(market: str) -> None:
    today = date.today()
    events = _value(market, "calendar.events", today)
    assert any(str(event["rule"]).startswith("holidays:") for event in events), f"{market}: no holidays:<CC> rule"
    assert _value(market, "marketplaces", today), f"{market}: no marketplaces"


@pytest.mark.parametrize("market", MARKETS)
@pytest.mark.parametrize("on", [COVERAGE_START, date(2021, 7, 1), date(2025, 9, 1), date(2026, 7, 1)])
def test_typed_snapshot_builds_on_any_date_since_2020(market: str, on: date) -> None:
    snapshot = markets.market(market).on(on)
    assert snapshot.currency in known_currencies()
    assert snapshot.writing_direction in ("ltr", "rtl")
    for threshold in (*snapshot.de_minimis_duty, *snapshot.de_minimis_tax):
        assert threshold.amount >= 0
