"""Read models for the web: checklist with rule details, readiness overview with counts, evidence days left,
evidence submission that re-checks, pack preview from an uploaded file, subscriptions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import yaml
from sqlalchemy.orm import Session

from xborder import catalog, compliance
from xborder.kernel import FixedClock, NotFound, ValidationFailed

from .conftest import PDF

CLOCK = FixedClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))


def _variant_id(session: Session, org: str, sku: str) -> str:
    return catalog.get_variant_by_sku(session, organization_id=org, sku=sku).id


def test_checklist_explains_each_requirement(session: Session, seller: str) -> None:
    view = compliance.checklist_for_variant(session, organization_id=seller,
                                            variant_id=_variant_id(session, seller, "SPK-01"), market="jp",
                                            on=CLOCK.today())
    assert view.market == "JP" and view.verdict == "blocked" and view.sku == "SPK-01"
    giteki = next(r for r in view.requirements if r.id == "jp.radio.giteki")
    assert giteki.status == "missing" and giteki.triggered_by
    assert any(e.scheme == "giteki" for e in giteki.satisfied_by)
    assert giteki.source.href.startswith("https://") and giteki.title_zh and giteki.title_en
    assert giteki.valid_from <= CLOCK.today()
    assert view.not_applicable > 0 and all(r.status != "not_applicable" for r in view.requirements)
    full = compliance.checklist_for_variant(session, organization_id=seller, variant_id=view.variant_id, market="JP",
                                            on=CLOCK.today(), include_not_applicable=True)
    assert len(full.requirements) == len(view.requirements) + view.not_applicable


def test_checklist_of_another_organization_is_not_found_before_market_checks(session: Session, seller: str,
                                                                             rival: str) -> None:
    with pytest.raises(NotFound):
        compliance.checklist_for_variant(session, organization_id=rival,
                                         variant_id=_variant_id(session, seller, "SPK-01"), market=None,
                                         on=CLOCK.today())
    with pytest.raises(ValidationFailed) as exc:
        compliance.checklist_for_variant(session, organization_id=seller,
                                         variant_id=_variant_id(session, seller, "SPK-01"), market="XX",
                                         on=CLOCK.today())
    assert exc.value.details[0].field == "market"


def test_overview_counts_and_pages(session: Session, seller: str, rival: str) -> None:
    compliance.evaluate_catalog(session, organization_id=seller, on=CLOCK.today(), clock=CLOCK,
                                markets=["DE", "JP"])
    view = compliance.readiness_overview(session, organization_id=seller, markets=["DE", "JP"], limit=2)
    assert view.markets == ["DE", "JP"] and len(view.rows) == 2 and view.next_cursor
    assert sum(view.counts["DE"].values()) == 5
    rest = compliance.readiness_overview(session, organization_id=seller, markets=["DE", "JP"],
                                         cursor=view.next_cursor, limit=10)
    assert [r.sku for r in view.rows + rest.rows] == sorted(["SPK-01", "EAR-01", "KET-01", "TOY-01", "TEE-01"])
    cell = view.rows[0].cells["DE"]
    assert cell.total >= cell.open_items and cell.satisfied == cell.total - cell.open_items
    assert view.rows[0].variant_id and view.rows[0].product_title
    blocked = compliance.readiness_overview(session, organization_id=seller, verdict="blocked")
    assert all(any(c.verdict == "blocked" for c in r.cells.values()) for r in blocked.rows)
    assert compliance.readiness_overview(session, organization_id=rival).rows == []
    with pytest.raises(ValidationFailed):
        compliance.readiness_overview(session, organization_id=seller, markets=["ZZ"])


def test_submitted_evidence_turns_cells_partly_green(session: Session, seller: str) -> None:
    compliance.evaluate_catalog(session, organization_id=seller, on=CLOCK.today(), clock=CLOCK, markets=["DE"])
    before = compliance.readiness_overview(session, organization_id=seller, markets=["DE"])
    spk = next(r for r in before.rows if r.sku == "SPK-01").cells["DE"]
    done = compliance.submit_evidence(session, organization_id=seller, clock=CLOCK, filename="red.pdf", content=PDF,
                                      evidence_type="test_report", scheme="ce-red", issuer="TÜV",
                                      issued_on=date(2026, 10, 1), expires_on=date(2027, 4, 22), skus=["SPK-01"],
                                      markets=["DE", "FR"])
    assert done.summary.changed and done.evidence.skus == ("SPK-01",)
    after = next(r for r in compliance.readiness_overview(session, organization_id=seller, markets=["DE"]).rows
                 if r.sku == "SPK-01").cells["DE"]
    assert after.satisfied == spk.satisfied + 1 and after.open_items == spk.open_items - 1
    shown = compliance.evidence_view(done.evidence, today=CLOCK.today())
    assert shown.days_left == 151 and shown.state == "valid"
    assert compliance.evidence_view(done.evidence, today=date(2027, 3, 1)).state == "expiring"


def test_preview_of_an_uploaded_pack_stores_nothing(session: Session, seller: str) -> None:
    pack = yaml.safe_load((compliance.packs_root() / "jp" / "rules.yaml").read_text(encoding="utf-8"))
    pack["version"] = "2026.12.1"
    pack["rules"][0]["severity"] = "required"
    content = yaml.safe_dump(pack, allow_unicode=True).encode()
    before = compliance.active_library(session).version
    preview = compliance.preview_rule_pack(session, location="jp-update.yaml", content=content)
    assert [c.rule_id for c in preview.changes] == [pack["rules"][0]["id"]]
    assert preview.affected_skus.get("JP", 0) >= 0 and compliance.active_library(session).version == before
    shown = compliance.PackPreviewView.of(preview)
    assert shown.changes[0].fields == ["severity"] and shown.changes[0].title_zh
    with pytest.raises(ValidationFailed):
        compliance.preview_rule_pack(session, location="bad.yaml", content=b"rules: [1, 2")
    steps: list[tuple[int, int]] = []
    update = compliance.load_rule_pack(session, location="jp-update.yaml", content=content, clock=CLOCK,
                                       progress=lambda done, total: steps.append((done, total)))
    assert update.changes and steps[-1][0] == steps[-1][1]
    assert compliance.active_library(session).version != before


def test_subscriptions_list_and_remove(session: Session, seller: str, rival: str) -> None:
    sub_id, secret = compliance.subscribe_alerts(session, organization_id=seller, channel="webhook",
                                                 target="https://hooks.example.com/x")
    assert secret
    assert [s.id for s in compliance.list_subscriptions(session, organization_id=seller)] == [sub_id]
    assert compliance.list_subscriptions(session, organization_id=rival) == []
    with pytest.raises(NotFound):
        compliance.unsubscribe_alerts(session, organization_id=rival, subscription_id=sub_id)
    compliance.unsubscribe_alerts(session, organization_id=seller, subscription_id=sub_id)
    assert compliance.list_subscriptions(session, organization_id=seller) == []
