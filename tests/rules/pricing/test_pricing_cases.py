"""Golden landed-cost cases kept beside the schedules (src/xborder/pricing/schedules/**/cases.yaml)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from xborder.pricing import EcbReferenceRates, PricingData, landed_cost_to_dict, parse_quote_row, quote_landed_cost
from xborder.pricing.schedules import shipped_schedule_dir


def _cases() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(Path(shipped_schedule_dir()).glob("**/cases.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            found.append((f"{path.parent.name}:{case['name']}", case))
    return found


@pytest.fixture(scope="module")
def data() -> PricingData:
    return PricingData(fx=EcbReferenceRates())


@pytest.mark.parametrize(("name", "case"), _cases(), ids=[n for n, _ in _cases()])
def test_golden_case(name: str, case: dict, data: PricingData) -> None:
    assert case["reference"].count("https://") >= 1, f"{name}: every case cites its source"
    row = {k: str(v) for k, v in case["input"].items()}
    on = case["date"] if isinstance(case["date"], date) else date.fromisoformat(case["date"])
    row["date"] = on.isoformat()
    result = landed_cost_to_dict(quote_landed_cost(data, request=parse_quote_row(row, row_number=1)))
    for key, expected in case["expected"].items():
        assert result[key] == expected, f"{name}: {key} = {result[key]!r}, expected {expected!r}"
    if "expected_rules" in case:
        assert [line["rule"] for line in result["lines"]] == case["expected_rules"]
    if "expected_gaps" in case:
        assert [gap["rule"] for gap in result["gaps"]] == case["expected_gaps"]
