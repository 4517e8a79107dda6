"""JSON snapshots of a quote's request and resolved context, so a saved quote replays on exactly the data it used.

The snapshot holds the values, not only their version names: the tariff line and measure rates (canonical text),
the market facts, the FX rates with their dates. Replaying rebuilds the QuoteContext from it, whatever the shipped
or imported data says today. Decimals are strings; dates ISO.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from xborder.kernel import ErrorDetail, Money
from xborder.markets import DeMinimisThreshold
from xborder.pricing.fx.base import FxQuote
from xborder.pricing.model import FactRef, Gap, MarketFacts, QuoteContext, QuoteRequest, ResolvedMeasure
from xborder.pricing.rates import format_rate, parse_rate
from xborder.pricing.schedules import Measure, MeasureVersion, SourceRef, TariffLine, ValueCondition

__all__ = ["SNAPSHOT_FORMAT", "context_from_json", "context_to_json", "request_from_json", "request_to_json"]

SNAPSHOT_FORMAT = 1


def _money(m: Money | None) -> list[str] | None:
    return None if m is None else [format(m.amount, "f"), m.currency]


def _unmoney(raw: list[str] | None) -> Money | None:
    return None if raw is None else Money(Decimal(raw[0]), raw[1])


def request_to_json(req: QuoteRequest) -> dict[str, Any]:
    return {"origin": req.origin, "destination": req.destination, "hs_code": req.hs_code,
            "goods_value": _money(req.goods_value), "on": req.on.isoformat(), "shipping": _money(req.shipping),
            "insurance": _money(req.insurance), "quantity": req.quantity,
            "weight_kg": None if req.weight_kg is None else format(req.weight_kg, "f"), "incoterm": req.incoterm,
            "channel": req.channel, "buyer": req.buyer, "registrations": sorted(req.registrations),
            "seller_currency": req.seller_currency,
            "extra_quantities": [[unit, format(q, "f")] for unit, q in req.extra_quantities],
            "subdivision": req.subdivision}


def request_from_json(raw: dict[str, Any]) -> QuoteRequest:
    goods = _unmoney(raw["goods_value"])
    assert goods is not None
    return QuoteRequest(
        origin=raw["origin"], destination=raw["destination"], hs_code=raw["hs_code"], goods_value=goods,
        on=date.fromisoformat(raw["on"]), shipping=_unmoney(raw["shipping"]), insurance=_unmoney(raw["insurance"]),
        quantity=int(raw["quantity"]), weight_kg=Decimal(raw["weight_kg"]) if raw["weight_kg"] is not None else None,
        incoterm=raw["incoterm"], channel=raw["channel"], buyer=raw["buyer"],
        registrations=frozenset(raw["registrations"]), seller_currency=raw["seller_currency"],
        extra_quantities=tuple((unit, Decimal(q)) for unit, q in raw["extra_quantities"]),
        subdivision=raw.get("subdivision"))


def _fact(ref: FactRef) -> dict[str, Any]:
    value = ref.value
    if isinstance(value, Decimal):
        encoded: Any = {"decimal": format(value, "f")}
    elif isinstance(value, tuple):
        encoded = {"thresholds": [entry.model_dump(mode="json") for entry in value]}
    else:
        encoded = {"plain": value}
    return {"value": encoded, "source": ref.source, "effective_from": ref.effective_from.isoformat(),
            "certainty": ref.certainty, "note": ref.note}


def _unfact(raw: dict[str, Any]) -> FactRef:
    encoded = raw["value"]
    value: object
    if "decimal" in encoded:
        value = Decimal(encoded["decimal"])
    elif "thresholds" in encoded:
        value = tuple(DeMinimisThreshold.model_validate(item) for item in encoded["thresholds"])
    else:
        value = encoded["plain"]
    return FactRef(value, raw["source"], date.fromisoformat(raw["effective_from"]), raw["certainty"], raw["note"])


def _condition(cond: ValueCondition | None) -> list[str] | None:
    return None if cond is None else [format(cond.amount, "f"), cond.currency, cond.basis]


def _uncondition(raw: list[str] | None) -> ValueCondition | None:
    return None if raw is None else ValueCondition(Decimal(raw[0]), raw[1], raw[2])


def _measure(rm: ResolvedMeasure) -> dict[str, Any]:
    m, v = rm.measure, rm.version
    return {"id": m.id, "name": m.name, "category": m.category, "legal_basis": m.legal_basis,
            "reference": [m.reference.title, m.reference.href], "coverage_note": m.coverage_note,
            "excludes": list(m.excludes), "replaces_base": m.replaces_base,
            "replaces_import_tax": m.replaces_import_tax, "base": m.base,
            "ignores_de_minimis": m.ignores_de_minimis, "value_above": _condition(m.value_above),
            "value_at_most": _condition(m.value_at_most), "rate": format_rate(rm.rate),
            "version": {"valid_from": v.valid_from.isoformat(), "status": v.status, "certainty": v.certainty,
                        "note": v.note}}


def _unmeasure(raw: dict[str, Any]) -> ResolvedMeasure:
    rate = parse_rate(raw["rate"])
    v = raw["version"]
    version = MeasureVersion(date.fromisoformat(v["valid_from"]), rate, v["status"], v["certainty"], v["note"])
    measure = Measure(id=raw["id"], name=raw["name"], category=raw["category"], legal_basis=raw["legal_basis"],
                      reference=SourceRef(*raw["reference"]), versions=(version,), coverage_note=raw["coverage_note"],
                      excludes=tuple(raw["excludes"]), replaces_base=raw["replaces_base"],
                      replaces_import_tax=raw.get("replaces_import_tax", False),  # absent in older snapshots
                      base=raw.get("base", "customs_value"),
                      ignores_de_minimis=raw["ignores_de_minimis"], value_above=_uncondition(raw["value_above"]),
                      value_at_most=_uncondition(raw["value_at_most"]))
    return ResolvedMeasure(measure, version, rate)


def context_to_json(ctx: QuoteContext) -> dict[str, Any]:
    f, b = ctx.facts, ctx.base
    return {
        "format": SNAPSHOT_FORMAT,
        "facts": {"code": f.code, "currency": f.currency, "tax_name": f.tax_name,
                  **{name: _fact(getattr(f, name)) for name in ("standard_rate", "valuation_basis", "import_tax_base",
                                                                "de_minimis_duty", "de_minimis_tax")},
                  "import_tax_uplift": None if f.import_tax_uplift is None else _fact(f.import_tax_uplift)},
        "base": None if b is None else {
            "code": b.code, "rate": format_rate(b.rate), "text": b.text, "version_id": b.version_id,
            "valid_from": b.valid_from.isoformat(), "reference": [b.reference.title, b.reference.href],
            "certainty": b.certainty, "note": b.note},
        "base_missing": None if ctx.base_missing is None else [
            ctx.base_missing[0], [[d.message, d.field, d.row, d.code] for d in ctx.base_missing[1]]],
        "measures": [_measure(rm) for rm in ctx.measures],
        "gaps": [[g.rule, g.name, g.message, g.source, g.effective_from.isoformat() if g.effective_from else None,
                  g.ignores_de_minimis, _condition(g.value_above), _condition(g.value_at_most)] for g in ctx.gaps],
        "fx": [[q.base, q.quote, format(q.rate, "f"), q.rate_date.isoformat(), q.source] for q in ctx.fx],
        "warnings": list(ctx.warnings), "versions": list(ctx.versions)}


def context_from_json(raw: dict[str, Any]) -> QuoteContext:
    if raw.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"unknown quote snapshot format {raw.get('format')!r}")
    f = raw["facts"]
    facts = MarketFacts(code=f["code"], currency=f["currency"], tax_name=f["tax_name"],
                        **{name: _unfact(f[name]) for name in ("standard_rate", "valuation_basis", "import_tax_base",
                                                               "de_minimis_duty", "de_minimis_tax")},
                        # absent from snapshots saved before the uplift was modelled: no uplift then
                        import_tax_uplift=_unfact(f["import_tax_uplift"]) if f.get("import_tax_uplift") else None)
    b = raw["base"]
    base = None if b is None else TariffLine(
        code=b["code"], rate=parse_rate(b["rate"]), text=b["text"], version_id=b["version_id"],
        valid_from=date.fromisoformat(b["valid_from"]), reference=SourceRef(*b["reference"]),
        certainty=b["certainty"], note=b["note"])
    missing = raw["base_missing"]
    return QuoteContext(
        facts=facts, base=base, measures=tuple(_unmeasure(m) for m in raw["measures"]),
        # snapshots saved before gaps carried value bands have six fields: no band
        gaps=tuple(Gap(g[0], g[1], g[2], g[3], date.fromisoformat(g[4]) if g[4] else None, g[5],
                       *(_uncondition(c) for c in g[6:8])) for g in raw["gaps"]),
        fx=tuple(FxQuote(q[0], q[1], Decimal(q[2]), date.fromisoformat(q[3]), q[4]) for q in raw["fx"]),
        warnings=tuple(raw["warnings"]), versions=tuple(raw["versions"]),
        base_missing=None if missing is None else (missing[0], tuple(ErrorDetail(*d) for d in missing[1])))
