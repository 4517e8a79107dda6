"""Central-bank rates recorded with their source (`xborder fx set`) for currencies the ECB does not publish: stored
atomically, validated field by field, crossed through the ECB's USD rate, cited in every quote, never stale."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xborder.cli.main import app
from xborder.kernel import Money, ValidationFailed
from xborder.pricing import EcbReferenceRates, FxRateMissing, PricingData, QuoteRequest, quote_landed_cost
from xborder.pricing.fx.published import read_published_rates, record_published_rate

CBK = "https://www.centralbank.go.ke/rates/forex-exchange-rates/"


def test_record_replaces_the_same_day_and_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "published-rates.csv"
    record_published_rate(path, currency_code="kes", per_usd="129.30", on="2025-07-23", source=CBK)
    record_published_rate(path, currency_code="NGN", per_usd="1530.5", on="2025-07-23", source=CBK + "ng")
    record_published_rate(path, currency_code="KES", per_usd="129.25", on="2025-07-23", source=CBK)
    rates = read_published_rates(path)
    assert [(r.currency, r.per_usd) for r in rates] == [("KES", Decimal("129.25")), ("NGN", Decimal("1530.5"))]
    assert not list(tmp_path.glob(".published-*"))  # the temporary file was renamed into place


@pytest.mark.parametrize(("field", "values"), [
    ("currency", {"currency_code": "XXQ"}), ("per_usd", {"per_usd": "-1"}), ("per_usd", {"per_usd": "abc"}),
    ("date", {"on": "23/07/2025"}), ("source", {"source": "http://insecure.example/rates"}),
])
def test_bad_input_names_the_field_and_writes_nothing(tmp_path: Path, field: str, values: dict[str, str]) -> None:
    path = tmp_path / "published-rates.csv"
    args = {"currency_code": "KES", "per_usd": "129.30", "on": "2025-07-23", "source": CBK, **values}
    with pytest.raises(ValidationFailed) as caught:
        record_published_rate(path, **args)
    assert caught.value.details[0].field == field and not path.exists()


def test_a_currency_the_ecb_covers_is_refused(tmp_path: Path) -> None:
    covered = EcbReferenceRates().covered_elsewhere()
    assert {"USD", "EUR", "SAR", "AED"} <= covered and "KES" not in covered
    with pytest.raises(ValidationFailed, match="conflict"):
        record_published_rate(tmp_path / "r.csv", currency_code="USD", per_usd="1", on="2025-07-23", source=CBK,
                              refused=covered)


def test_rates_cross_through_the_ecb_usd_rate_and_go_stale(tmp_path: Path) -> None:
    path = tmp_path / "published-rates.csv"
    record_published_rate(path, currency_code="KES", per_usd="129.30", on="2025-07-23", source=CBK)
    fx = EcbReferenceRates(published_file=path)
    usd_kes = fx.quote("USD", "KES", date(2025, 7, 24))
    assert usd_kes.rate == Decimal("129.30") and usd_kes.rate_date == date(2025, 7, 23) and CBK in usd_kes.source
    eur_kes = fx.quote("EUR", "KES", date(2025, 7, 24))
    assert eur_kes.rate == fx.quote("EUR", "USD", date(2025, 7, 24)).rate * Decimal("129.30")
    with pytest.raises(FxRateMissing, match="xborder fx set"):
        fx.quote("USD", "KES", date(2025, 9, 1))
    assert fx.quote("USD", "KES", date(2025, 9, 1), allow_latest=True).rate_date == date(2025, 7, 23)
    with pytest.raises(FxRateMissing, match="start"):
        fx.quote("USD", "KES", date(2025, 7, 1))


def test_a_kenya_quote_in_usd_cites_the_central_bank(tmp_path: Path) -> None:
    path = tmp_path / "published-rates.csv"
    request = QuoteRequest(origin="CN", destination="KE", hs_code="950300", goods_value=Money.of("100", "USD"),
                           on=date(2025, 7, 24))
    with pytest.raises(FxRateMissing, match="KES"):
        quote_landed_cost(PricingData(fx=EcbReferenceRates(published_file=path)), request=request)
    record_published_rate(path, currency_code="KES", per_usd="129.30", on="2025-07-23", source=CBK)
    result = quote_landed_cost(PricingData(fx=EcbReferenceRates(published_file=path)), request=request)
    assert result.currency == "KES" and any(CBK in q.source for q in result.fx)
    assert result.customs_value.amount == Decimal("12930.00")  # USD 100 at 129.30 per USD (no freight given)


def test_cli_set_then_rate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XBORDER_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    stored = runner.invoke(app, ["fx", "set", "KES", "129.30", "--date", "2025-07-23", "--source", CBK])
    assert stored.exit_code == 0, stored.output
    shown = runner.invoke(app, ["fx", "rate", "USD", "KES", "--date", "2025-07-24"])
    assert shown.exit_code == 0 and json.loads(shown.output)["rate"] == "129.30"
    refused = runner.invoke(app, ["fx", "set", "EUR", "1", "--date", "2025-07-23", "--source", CBK])
    assert refused.exit_code != 0 and "conflict" in refused.output


def test_a_bad_row_only_fails_the_quotes_that_need_a_published_rate(tmp_path: Path) -> None:
    path = tmp_path / "published-rates.csv"
    record_published_rate(path, currency_code="KES", per_usd="129.30", on="2025-07-23", source=CBK)
    path.write_text(path.read_text(encoding="utf-8") + "2025-07-24,KES,not-a-number,https://x.example.org/r\n",
                    encoding="utf-8")
    fx = EcbReferenceRates(published_file=path)
    assert fx.quote("USD", "EUR", date(2025, 7, 24)).rate > 0  # ECB pairs unaffected
    with pytest.raises(FxRateMissing, match="row 3"):
        fx.quote("USD", "KES", date(2025, 7, 24))
