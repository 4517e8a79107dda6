"""Service-level quoting on the shipped data: explicit errors for bad input, FX, tariff imports, batch == single."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xborder.kernel import DomainError, Money, UnknownCurrency
from xborder.markets import MarketNotFound
from xborder.pricing import (
    DateOutsideData,
    EcbReferenceRates,
    FredMonthlyRates,
    FxRateMissing,
    NoTariffData,
    PricingData,
    PricingInputInvalid,
    QuoteRequest,
    import_schedule_version,
    landed_cost_to_dict,
    list_schedule_versions,
    quote_batch,
    quote_landed_cost,
)
from xborder.pricing.fx import parse_ecb_xml

HTS = Path("/work/shared/data/tariffs/us_hts_2024_htsdata.csv")
FRED = Path("/work/shared/data/exchange-rates-fred/monthly.csv")


@pytest.fixture(scope="module")
def data() -> PricingData:
    return PricingData(fx=EcbReferenceRates())


def _req(**kw: object) -> QuoteRequest:
    base = QuoteRequest(origin="CN", destination="DE", hs_code="610910", goods_value=Money.of("200", "EUR"),
                        shipping=Money.of("20", "EUR"), on=date(2025, 3, 1), incoterm="DDP")
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("change", "error", "needle"), [
    ({"hs_code": "999999"}, NoTariffData, "no tariff data for HS 999999"),
    ({"hs_code": "61"}, PricingInputInvalid, "at least 6 digits"),
    ({"hs_code": "4202x"}, PricingInputInvalid, "hs_code"),
    ({"destination": "XX"}, MarketNotFound, "XX"),
    ({"destination": "SA"}, NoTariffData, "no tariff schedule for market SA"),
    ({"destination": "JP"}, NoTariffData, "no tariff data for HS 610910 in version jp-headings-2023"),
    ({"destination": "US", "on": date(2023, 6, 1), "goods_value": Money.of("200", "USD"),
      "shipping": None}, DateOutsideData, "us"),
    ({"incoterm": "EXW"}, PricingInputInvalid, "incoterm"),
    ({"destination": "US", "hs_code": "420221", "on": date(2025, 6, 1)}, NoTariffData,
     "give the full national tariff code"),
])
def test_bad_input_is_an_explicit_error(data: PricingData, change: dict, error: type, needle: str) -> None:
    with pytest.raises(error, match=needle):
        quote_landed_cost(data, request=_req(**change))


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(UnknownCurrency):
        Money.of("10", "XYZ")


def test_fx_beyond_data_is_an_error_unless_latest_is_asked(data: PricingData) -> None:
    later = _req(on=date(2027, 1, 4), goods_value=Money.of("200", "USD"), shipping=None)
    with pytest.raises(FxRateMissing, match="latest"):
        quote_landed_cost(data, request=later)
    lenient = PricingData(fx=EcbReferenceRates(), allow_latest_fx=True)
    result = quote_landed_cost(lenient, request=later)
    assert result.fx[0].rate_date < date(2027, 1, 4)  # the stale rate is shown with its own date


def test_every_quote_records_rate_date_and_source(data: PricingData) -> None:
    result = quote_landed_cost(data, request=_req(goods_value=Money.of("200", "USD"), seller_currency="CNY"))
    pairs = {(q.base, q.quote) for q in result.fx}
    assert ("USD", "EUR") in pairs and ("EUR", "CNY") in pairs
    assert all(q.source.startswith("ECB") and q.rate_date <= date(2025, 3, 1) for q in result.fx)
    assert any(v.startswith("schedule:eu-cet-2020") for v in result.versions)


def test_pegged_currency_uses_cited_peg() -> None:
    quote = EcbReferenceRates().quote("USD", "SAR", date(2025, 3, 3))
    assert quote.rate == Decimal("3.75") and "peg" in quote.source


def test_missing_fx_series_is_an_error() -> None:
    with pytest.raises(FxRateMissing, match="VND"):
        EcbReferenceRates().quote("USD", "VND", date(2025, 3, 3))


@pytest.mark.skipif(not FRED.exists(), reason="shared FRED data not present")
def test_fred_monthly_average_is_a_second_cited_source() -> None:
    quote = FredMonthlyRates(FRED).quote("USD", "EUR", date(2025, 3, 17))
    assert quote.rate == Decimal("0.9248") and quote.rate_date == date(2025, 3, 1) and "FRED" in quote.source


def test_ecb_xml_parses_to_decimals() -> None:
    xml = (b'<?xml version="1.0"?><gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" '
           b'xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><Cube><Cube time="2026-11-20">'
           b'<Cube currency="USD" rate="1.0512"/><Cube currency="JPY" rate="163.2"/></Cube></Cube></gesmes:Envelope>')
    assert parse_ecb_xml(xml) == {date(2026, 11, 20): {"USD": Decimal("1.0512"), "JPY": Decimal("163.2")}}


@pytest.mark.skipif(not HTS.exists(), reason="shared HTS export not present")
def test_tariff_import_adds_a_version_and_keeps_history(tmp_path: Path) -> None:
    lines = HTS.read_text(encoding="utf-8-sig").splitlines()
    changed = [line.replace('"16.5%"', '"18%"') if line.startswith('"6109.10.00"') else line for line in lines]
    source = tmp_path / "hts_2026.csv"
    source.write_text("\n".join(changed), encoding="utf-8")
    overlay = tmp_path / "schedules"
    version = import_schedule_version("US", source, valid_from=date(2026, 1, 1),
                                      source_url="https://hts.usitc.gov/", overlay_dir=overlay)
    ids = [v.id for v in list_schedule_versions("US", overlay_dir=overlay)]
    assert ids == ["us-hts-2024", version.id]
    data = PricingData(fx=EcbReferenceRates(), overlay_dir=overlay)
    old = quote_landed_cost(data, request=_req(destination="US", goods_value=Money.of("100", "USD"), shipping=None,
                                               on=date(2025, 12, 1), origin="VN"))
    new = quote_landed_cost(data, request=_req(destination="US", goods_value=Money.of("100", "USD"), shipping=None,
                                               on=date(2026, 3, 1), origin="VN"))
    assert old.lines[0].rate == "16.5%" and new.lines[0].rate == "18%"


def test_a_rate_table_import_gives_a_market_its_full_tariff(tmp_path: Path) -> None:
    """Markets without a dedicated importer take a code,rate[,text] CSV: Japan's apparel, absent from the shipped
    headings before 2027, quotes from the imported version on; the shipped version still answers earlier dates."""
    source = tmp_path / "jp-tariff-2027.csv"
    source.write_text("code,rate,text\n6109.10.000,10.9%,T-shirts of cotton\n8471.30,Free,laptops\n"
                      "9503.00,0,toys\n6403.99,\"max(30%; 4300 JPY/pair)\",leather footwear\n", encoding="utf-8")
    overlay = tmp_path / "schedules"
    version = import_schedule_version("JP", source, valid_from=date(2027, 4, 1),
                                      source_url="https://www.customs.go.jp/english/tariff/", overlay_dir=overlay)
    assert [v.id for v in list_schedule_versions("JP", overlay_dir=overlay)][-1] == version.id
    data = PricingData(fx=EcbReferenceRates(), overlay_dir=overlay, allow_latest_fx=True)

    def tee(on: date):
        return quote_landed_cost(data, request=_req(destination="JP", hs_code="610910",
                                                    goods_value=Money.of("20000", "JPY"), shipping=None, on=on))
    assert tee(date(2027, 5, 1)).lines[0].rate == "10.9%"
    with pytest.raises(NoTariffData):
        tee(date(2026, 5, 1))  # the shipped headings never sourced plain T-shirts: still an explicit gap


@pytest.mark.parametrize(("content", "where"), [
    ("hs,duty\n6109,5%\n", "header"),
    ("code,rate\n61x9,5%\n", "code"),
    ("code,rate\n6109,5%\n6109,6%\n", "code"),
    ("code,rate\n6109,about five percent\n", "rate"),
    ("code,rate\n6109,unsupported: see note 3\n", "rate"),
    ("code,rate\n\uff16\uff11\uff10\uff19,5%\n", "code"),  # full-width digits never match a lookup
])
def test_a_bad_rate_table_names_the_row_and_imports_nothing(tmp_path: Path, content: str, where: str) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(content, encoding="utf-8")
    overlay = tmp_path / "schedules"
    with pytest.raises(PricingInputInvalid) as caught:
        import_schedule_version("JP", source, valid_from=date(2027, 4, 1), source_url="https://example.org/jp",
                                overlay_dir=overlay)
    assert caught.value.details[0].field == where and not (overlay / "jp").exists()


def test_a_rate_table_that_is_not_utf8_is_refused_by_name(tmp_path: Path) -> None:
    source = tmp_path / "gb18030.csv"
    source.write_bytes("code,rate,text\n6109,5%,针织T恤\n".encode("gb18030"))
    with pytest.raises(PricingInputInvalid, match="not UTF-8"):
        import_schedule_version("JP", source, valid_from=date(2027, 4, 1), source_url="https://example.org/jp",
                                overlay_dir=tmp_path / "schedules")


def test_import_refuses_a_non_https_source(tmp_path: Path) -> None:
    with pytest.raises(PricingInputInvalid, match="https"):
        import_schedule_version("US", tmp_path / "x.csv", valid_from=date(2026, 1, 1), source_url="http://x",
                                overlay_dir=tmp_path)


def test_batch_equals_single_path_on_a_random_sample() -> None:
    rng = random.Random(7)
    markets = [("DE", "EUR"), ("FR", "EUR"), ("GB", "GBP"), ("US", "USD"), ("NL", "EUR")]
    codes = ["610910", "640299", "950300", "851830", "420292", "330499", "940360"]
    dates = [date(2025, 3, 3), date(2025, 6, 5), date(2026, 3, 5), date(2026, 8, 3)]
    requests = []
    for _ in range(400):
        dest, currency = rng.choice(markets)
        requests.append(QuoteRequest(
            origin=rng.choice(["CN", "VN", "TR"]), destination=dest, hs_code=rng.choice(codes),
            goods_value=Money.of(f"{rng.randint(1, 400000) / 100:.2f}", rng.choice([currency, "USD", "CNY"])),
            shipping=Money.of(str(rng.randint(0, 40)), "CNY" if rng.random() < 0.2 else currency),
            on=rng.choice(dates), incoterm=rng.choice(["DAP", "DDP"]), weight_kg=Decimal("0.5"),
            registrations=frozenset({"ioss"}) if rng.random() < 0.3 else frozenset()))
    batch = list(quote_batch(PricingData(fx=EcbReferenceRates()), requests))
    fresh = PricingData(fx=EcbReferenceRates())
    for request, item in zip(requests, batch, strict=True):
        try:
            single = landed_cost_to_dict(quote_landed_cost(fresh, request=request))
        except DomainError as exc:
            assert item.error is not None and item.error.code == exc.code
            continue
        assert item.result is not None and landed_cost_to_dict(item.result) == single
    assert sum(item.result is not None for item in batch) > 200
