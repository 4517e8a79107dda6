"""Stored evaluation: verdicts per (SKU, market), the readiness matrix, history on any past date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xborder import compliance
from xborder.compliance.models import VerdictHistory
from xborder.kernel import FixedClock, NotFound

from .conftest import PDF


def _clock(day: int, month: int = 11) -> FixedClock:
    return FixedClock(datetime(2026, month, day, 9, 0, tzinfo=UTC))


def test_journey_matrix_and_history(session: Session, seller: str, rival: str) -> None:
    clock = _clock(20)
    summary = compliance.evaluate_catalog(session, organization_id=seller, on=clock.today(), clock=clock,
                                          markets=["DE", "FR", "GB", "JP", "SA", "BR"])
    session.commit()
    assert summary.evaluated == 5 and len(summary.changed) == 30
    matrix = compliance.readiness_matrix(session, organization_id=seller)
    assert matrix.markets == ("BR", "DE", "FR", "GB", "JP", "SA")
    assert matrix.cells["SPK-01"]["JP"].verdict == "blocked"
    assert matrix.cells["KET-01"]["GB"].verdict == "blocked"
    assert compliance.readiness_matrix(session, organization_id=rival).cells == {}

    # nothing changed: no new history rows
    again = compliance.evaluate_catalog(session, organization_id=seller, on=date(2026, 11, 21), clock=_clock(21),
                                        markets=["JP"])
    assert again.changed == []
    count = session.scalar(select(func.count()).select_from(VerdictHistory))

    # she uploads the radio certificate and the UN 38.3 summary: the speaker is no longer blocked in JP
    for scheme, kind in (("giteki", "certificate"), ("un38-3", "test_report")):
        compliance.upload_evidence(session, organization_id=seller, filename=f"{scheme}.pdf", content=PDF,
                                   evidence_type=kind, scheme=scheme, issuer="MIC RCB", issued_on=date(2026, 6, 1),
                                   today=date(2026, 11, 22), expires_on=date(2027, 4, 1), skus=["SPK-01"])
    later = _clock(22)
    result = compliance.evaluate_catalog(session, organization_id=seller, on=later.today(), clock=later,
                                         markets=["JP"], skus=["SPK-01"])
    session.commit()
    assert [(c.sku, c.before, c.after) for c in result.changed] == [("SPK-01", "blocked", "ready")]
    assert session.scalar(select(func.count()).select_from(VerdictHistory)) == count + 1

    assert compliance.verdict_on(session, organization_id=seller, sku="SPK-01", market="JP",
                                 on=date(2026, 11, 21)).verdict == "blocked"
    now = compliance.verdict_on(session, organization_id=seller, sku="SPK-01", market="JP", on=date(2026, 11, 22))
    assert now.verdict == "ready"
    assert {i["id"]: i["status"] for i in now.items}["jp.radio.giteki"] == "satisfied"
    with pytest.raises(NotFound):
        compliance.verdict_on(session, organization_id=seller, sku="SPK-01", market="JP", on=date(2026, 11, 19))
    with pytest.raises(NotFound):
        compliance.verdict_on(session, organization_id=rival, sku="SPK-01", market="JP", on=date(2026, 11, 22))
