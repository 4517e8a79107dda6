"""A running process sees `xborder fx update` and `xborder tariffs import` without a restart: the overlay files are
stat'ed at most every N seconds and the pricing data is rebuilt only when they changed."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

from xborder import pricing
from xborder.kernel import Money
from xborder.pricing import PricingData, PricingDataSource, overlay_signature

DE_QUOTE = pricing.QuoteRequest(origin="CN", destination="DE", hs_code="610910", goods_value=Money.of("200", "EUR"),
                                shipping=Money.of("20", "EUR"), on=date(2025, 3, 1), incoterm="DDP")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingBuild:
    def __init__(self, pause: float = 0.0) -> None:
        self.calls, self.pause = 0, pause

    def __call__(self, data_dir: Path) -> PricingData:
        self.calls += 1
        time.sleep(self.pause)
        return pricing.pricing_data_for(data_dir)


def _fx_update(data_dir: Path, day: date, usd: str) -> None:
    path = data_dir / "pricing" / "fx" / "ecb-updates.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with path.open("a", encoding="utf-8") as handle:
        handle.write(("date,currency,rate\n" if new else "") + f"{day.isoformat()},USD,{usd}\n")


def _tariff_import(data_dir: Path, tmp_path: Path, rate: str) -> None:
    source = tmp_path / "taric.csv"
    source.write_text(f"commodity,cet_duty_rate\n6109100010,{rate}\n", encoding="utf-8")
    pricing.import_schedule_version("EU", source, valid_from=date(2025, 1, 1), source_url="https://example.test/taric",
                                    overlay_dir=data_dir / "pricing" / "schedules")


def test_data_is_reused_until_the_files_change(tmp_path: Path) -> None:
    clock, build = Clock(), CountingBuild()
    source = PricingDataSource(tmp_path, check_every_seconds=5, build=build, monotonic=clock)
    first = source.current()
    clock.now += 60
    assert source.current() is first and build.calls == 1 and source.reloads == 0  # checked, nothing changed
    assert source.signature == overlay_signature(tmp_path) == ()


def test_an_fx_update_is_seen_after_the_check_interval(tmp_path: Path) -> None:
    clock = Clock()
    source = PricingDataSource(tmp_path, check_every_seconds=5, monotonic=clock)
    before = source.current()
    last = before.fx_data_until()
    assert last is not None
    newer = date.fromordinal(last.toordinal() + 3)
    _fx_update(tmp_path, newer, "1.2345")
    clock.now += 4
    assert source.current() is before  # within the interval: not even a stat
    clock.now += 2
    after = source.current()
    assert after is not before and after.fx_data_until() == newer and source.reloads == 1
    quote = after.fx.quote("EUR", "USD", newer)
    assert quote.rate_date == newer and str(quote.rate) == "1.2345"
    assert [entry[0] for entry in source.signature] == ["pricing/fx/ecb-updates.csv"]


def test_a_tariff_import_changes_the_next_quote(tmp_path: Path) -> None:
    clock = Clock()
    source = PricingDataSource(tmp_path, check_every_seconds=1, monotonic=clock)
    assert str(pricing.quote_landed_cost(source.current(), request=DE_QUOTE).duty.amount) == "26.40"
    _tariff_import(tmp_path, tmp_path, "15%")
    clock.now += 1
    assert str(pricing.quote_landed_cost(source.current(), request=DE_QUOTE).duty.amount) == "33.00"
    _tariff_import(tmp_path, tmp_path, "10%")  # same date re-imported: schedule.yaml rewritten
    clock.now += 1
    assert str(pricing.quote_landed_cost(source.current(), request=DE_QUOTE).duty.amount) == "22.00"
    assert source.reloads == 2


def test_concurrent_requests_share_one_rebuild(tmp_path: Path) -> None:
    clock, build = Clock(), CountingBuild(pause=0.05)
    source = PricingDataSource(tmp_path, check_every_seconds=5, build=build, monotonic=clock)
    source.current()
    _fx_update(tmp_path, date(2030, 1, 2), "1.1")
    clock.now += 10
    seen: list[PricingData] = []
    threads = [threading.Thread(target=lambda: seen.append(source.current())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert build.calls == 2 and len({id(data) for data in seen}) == 1
