"""Plain-JSON rendering of a LandedCost (the CLI `--json` and API contract): amounts as decimal strings."""

from __future__ import annotations

from typing import Any

from xborder.kernel import Money
from xborder.pricing.model import LandedCost

__all__ = ["landed_cost_to_dict"]


def _m(money: Money | None) -> str | None:
    return None if money is None else format(money.amount, "f")


def landed_cost_to_dict(result: LandedCost) -> dict[str, Any]:
    return {
        "currency": result.currency,
        "customs_value": _m(result.customs_value),
        "valuation_basis": result.valuation_basis,
        "duty": _m(result.duty),
        "import_vat": _m(result.import_vat),
        "import_tax_name": result.import_tax_name,
        "other_taxes_and_fees": _m(result.other_taxes_and_fees),
        "total_taxes_and_duties": _m(result.total_taxes_and_duties),
        "goods_and_transport": _m(result.goods_and_transport),
        "landed_cost": _m(result.landed_cost),
        "landed_cost_seller_currency": _m(result.landed_cost_seller_currency),
        "seller_currency": result.landed_cost_seller_currency.currency if result.landed_cost_seller_currency else None,
        "de_minimis_applied": result.de_minimis_applied,
        "incoterm": result.incoterm,
        "payable_by_buyer": _m(result.payable_by_buyer),
        "payable_by_seller": _m(result.payable_by_seller),
        "complete": result.complete,
        "lines": [{
            "name": line.name, "kind": line.kind, "rule": line.rule, "base": _m(line.base), "rate": line.rate,
            "amount": _m(line.amount), "source": line.source, "effective_from": line.effective_from.isoformat(),
            "certainty": line.certainty, "payer": line.payer, "collected_at": line.collected_at,
            "legal_basis": line.legal_basis, "note": line.note,
        } for line in result.lines],
        "de_minimis": [{
            "kind": d.kind, "applies": d.applies, "reason": d.reason, "collection": d.collection,
            "threshold": None if d.threshold is None else {
                "amount": format(d.threshold.amount, "f"), "currency": d.threshold.currency,
                "basis": d.threshold.basis},
            "compared_value": _m(d.compared_value), "source": d.source, "effective_from": d.effective_from.isoformat(),
        } for d in result.de_minimis],
        "gaps": [{"rule": g.rule, "name": g.name, "message": g.message, "source": g.source,
                  "effective_from": g.effective_from.isoformat() if g.effective_from else None}
                 for g in result.gaps],
        "fx": [{"base": q.base, "quote": q.quote, "rate": format(q.rate, "f"), "rate_date": q.rate_date.isoformat(),
                "source": q.source} for q in result.fx],
        "warnings": list(result.warnings),
        "versions": list(result.versions),
    }
