"""The demo workspace on SQLite and PostgreSQL: each journey story's objects exist and agree with each other, and
seeding a second time changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from xborder import compliance, identity, inventory, localization, pricing
from xborder.bootstrap import Container, bootstrap
from xborder.db import transaction
from xborder.db.models_registry import metadata
from xborder.demo import seed_demo_workspace
from xborder.demo._common import add_months
from xborder.demo.compliance_story import JOURNEY_MARKETS
from xborder.demo.inventory_story import SALES_FILENAME
from xborder.jobs import list_jobs
from xborder.kernel import FixedClock
from xborder.settings import SecuritySettings, Settings

FAST = SecuritySettings(argon2_time_cost=1, argon2_memory_kib=8192)


@pytest.fixture
def container(settings: Settings, clock: FixedClock, engine: Engine) -> Iterator[Container]:
    built = bootstrap(settings.model_copy(update={"security": FAST}), clock=clock)
    yield built
    built.engine.dispose()


def _row_counts(container: Container) -> dict[str, int]:
    with container.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables}


def _seller(container: Container) -> str:
    with transaction(container.session_factory) as session:
        return identity.get_organization_by_slug(session, slug="shengyue").id


def _check_compliance(container: Container, org: str, today: date) -> None:
    with transaction(container.session_factory) as session:
        matrix = compliance.readiness_matrix(session, organization_id=org)
        assert set(matrix.markets) == set(JOURNEY_MARKETS)
        assert all(sum(matrix.counts[m].values()) == 120 for m in JOURNEY_MARKETS)
        assert matrix.cells["SY-B100-BK"]["JP"].verdict == "blocked"  # no PSE / radio-law certificate yet
        docs = {e.scheme: e for e in compliance.list_evidence(session, organization_id=org)}
        red = docs["ce-red"]
        assert red.standard == "EN 300 328" and red.issuer and red.issued_on < today
        assert red.expires_on == add_months(today, 5) and 140 <= (red.expires_on - today).days <= 160
        assert {"SY-B100-BK", "SY-E10-BK"} <= set(red.skus or ()) and red.markets == ("DE", "FR")
        assert red.content_type == "application/pdf"
        _, content = compliance.get_evidence_file(session, organization_id=org, evidence_id=red.id)
        _assert_valid_pdf(content)
        # partly green: the CE/RED requirement is met (with its expiry) for the speaker in DE, not in GB
        record = compliance.verdict_on(session, organization_id=org, sku="SY-B100-BK", market="DE", on=today)
        red_item = next(i for i in record.items if i["id"] == "eu.ce.red")
        assert red_item["status"] == "satisfied" and red_item["expires_on"] == red.expires_on.isoformat()
        alerts = compliance.list_alerts(session, organization_id=org)
        assert [a.kind for a in alerts] == ["evidence_expiring"]
        assert [d["scheme"] for d in alerts[0].body["evidence"]] == ["ce-lvd"]


def _assert_valid_pdf(content: bytes) -> None:
    assert content.startswith(b"%PDF-1.") and content.rstrip().endswith(b"%%EOF")
    xref_at = int(re.search(rb"startxref\s+(\d+)", content).group(1))  # type: ignore[union-attr]
    assert content[xref_at:].startswith(b"xref")
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n", content)]
    for number, offset in enumerate(offsets, start=1):
        assert content[offset:].startswith(f"{number} 0 obj".encode())


def _check_pricing(container: Container, org: str, today: date) -> None:
    with transaction(container.session_factory) as session:
        quotes = pricing.list_saved_quotes(session, organization_id=org)
        routes = {(q.request.origin, q.request.destination, q.request.incoterm) for q in quotes}
        assert routes == {("CN", "DE", "DDP"), ("CN", "US", "DDP"), ("CN", "GB", "DDP")}
        for quote in quotes:
            replayed = pricing.replay_saved_quote(session, organization_id=org, quote_id=quote.id)
            assert replayed == quote.result
            assert quote.request.on == today
            # the same request on today's data gives the same figures (nothing changed since it was saved)
            again = pricing.quote_landed_cost(container.pricing_data.with_latest_fx(), request=quote.request)
            assert again.landed_cost == quote.result.landed_cost
        de = next(q for q in quotes if q.request.destination == "DE")
        assert de.result.currency == "EUR" and de.request.shipping is not None
        assert de.request.goods_value.currency == "CNY"  # the catalog's purchase price, as it is


def _check_localization(container: Container, org: str, today: date) -> None:
    with transaction(container.session_factory) as session:
        listings = localization.list_listings(session, organization_id=org, market="JP")
        assert len(listings) == 5 and all(item.language == "ja" for item in listings)
        codes: dict[str, set[str]] = {}
        for item in listings:
            qa = localization.qa_listing(session, organization_id=org, listing_id=item.id, on=today)
            codes[item.title] = {f.code for f in qa.findings}
        review = [item for item in listings if item.status == "needs_review"]
        kettle = next(item for item in review if "SY-K17" in item.title)
        assert {"known_mistranslation", "metric_units_missing"} <= codes[kettle.title]
        mugs = next(item for item in review if "マグカップ" in item.title)
        assert "unlucky_number" in codes[mugs.title]
        assert {"known_mistranslation", "unlucky_number", "metric_units_missing"} <= set().union(
            *(codes[item.title] for item in review))
        earphones = next(item for item in listings if item.title.startswith("SY-E10"))
        assert earphones.status == "draft" and earphones.description and earphones.pending_segments == ()
        speaker = next(item for item in listings if item.title.startswith("SY-B100"))
        assert speaker.pending_segments == ("description",)  # no MT: marked for a translator, nothing invented
        glossary = localization.get_glossary(session, organization_id=org, market="JP")
        assert "声悦" in glossary.protected_terms()
        assert glossary.required_map("zh-CN", "ja").get("节能") == "省エネ"


def _check_inventory(container: Container, org: str, today: date) -> None:
    with transaction(container.session_factory) as session:
        tiers = {w.code: (w.tier, w.country) for w in inventory.list_warehouses(session, organization_id=org)}
        assert tiers == {"SZ-DOM": ("domestic", "CN"), "DE-3PL": ("overseas", "DE"), "DE-FWD": ("forward", "DE"),
                         "US-FBA": ("overseas", "US")}
        levels = inventory.stock_levels(session, organization_id=org)
        assert levels and all(min(lv.on_hand, lv.available, lv.in_transit, lv.reserved) >= 0 for lv in levels)
        transfer = inventory.get_transfer(session, organization_id=org, number="TR-DEMO-0001")
        assert transfer.status == "in_transit" and transfer.shipped_on < today < transfer.eta_on
        in_transit = {(lv.warehouse_code, lv.sku): lv.in_transit for lv in levels if lv.in_transit}
        assert in_transit == {("DE-3PL", sku): qty for sku, qty, _ in transfer.lines}
        history = inventory.demand_history(session, organization_id=org)
        assert history["unique_id"].nunique() == 16
        assert {uid.rsplit("@", 1)[1] for uid in history["unique_id"]} == {"DE", "FR", "GB", "US"}
        assert history["ds"].max().date() < today and len(history[history["unique_id"] == "SY-E10-BK@DE"]) == 104
        earphones = history[history["unique_id"] == "SY-E10-BK@US"]
        q4 = earphones[earphones["ds"].dt.month.isin([11, 12])]["y"].mean()
        spring = earphones[earphones["ds"].dt.month.isin([3, 4, 5])]["y"].mean()
        assert q4 > 1.3 * spring  # the Q4 ramp
        run = inventory.list_forecast_runs(session, organization_id=org).items
        assert len(run) == 1 and run[0].series == 16
        plans = inventory.list_plan_runs(session, organization_id=org).items
        assert len(plans) == 1 and plans[0].status in ("optimal", "feasible") and plans[0].currency == "EUR"
        assert {fx.currency for fx in plans[0].fx} >= {"CNY", "USD"}
        assert all(fx.rate_date is not None and fx.source for fx in plans[0].fx)
        imports = list_jobs(session, organization_id=org, kind=inventory.InventoryJobKind.IMPORT_SALES).items
        assert [(j.status, j.input_filename) for j in imports] == [("succeeded", SALES_FILENAME)]
        assert "synthetic" in SALES_FILENAME


def test_demo_workspace_tells_the_stories_and_reseeding_changes_nothing(container: Container) -> None:
    first = seed_demo_workspace(container)
    assert first.seeded == ("compliance", "pricing", "localization", "inventory", "sales", "forecast", "plan")
    assert any("/compliance" in line for line in first.lines()) and any("合成" in line for line in first.lines())
    org, today = _seller(container), container.clock.today()
    _check_compliance(container, org, today)
    _check_pricing(container, org, today)
    _check_localization(container, org, today)
    _check_inventory(container, org, today)
    before = _row_counts(container)
    second = seed_demo_workspace(container)
    assert second.seeded == ()
    assert second.users == first.users and second.tour == first.tour
    assert _row_counts(container) == before
