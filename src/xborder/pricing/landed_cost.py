"""Pure landed-cost core: QuoteRequest + QuoteContext in, LandedCost (every line explained) out. No I/O, no clock.

Order of the law: convert to the destination currency, value the goods (CIF or FOB), decide the duty de minimis,
compute each duty measure, fees, then the import VAT/GST base (incl. duty where the market says so) and the tax.
The arithmetic lives in `plan.py` (shared with the batch path); this module adds names, sources and reasons.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from xborder.kernel import Money
from xborder.pricing.model import (
    DeMinimisOutcome,
    FactRef,
    Gap,
    LandedCost,
    MarketFacts,
    QuoteContext,
    QuoteLine,
    QuoteRequest,
    ResolvedMeasure,
)
from xborder.pricing.plan import DeMinimisPick, Evaluation, QuotePlan, evaluate, plan_quote, quantum_of
from xborder.pricing.rates import format_rate

__all__ = ["compute_landed_cost", "explain", "round_money"]


def round_money(amount: Decimal, currency: str) -> Money:
    """Round half-up to the currency's minor unit (the step at which customs and tax authorities assess)."""
    return Money(amount.quantize(quantum_of(currency), rounding=ROUND_HALF_UP), currency)


def _outcome(kind: Literal["duty", "tax"], pick: DeMinimisPick, applies: bool, value: Decimal | None,
             ref: FactRef) -> DeMinimisOutcome:
    entry = pick.entry
    if entry is None or value is None:
        return DeMinimisOutcome(kind, False, None, None, None, pick.reason_if_none, ref.source, ref.effective_from)
    word = "is within" if applies else "exceeds"
    reason = f"{value} {entry.currency} {word} {entry.amount} {entry.currency} ({entry.basis})"
    return DeMinimisOutcome(kind, applies, entry, Money(value, entry.currency), entry.collection if applies else None,
                            reason, ref.source, ref.effective_from)


def explain(req: QuoteRequest, ctx: QuoteContext, plan: QuotePlan, ev: Evaluation) -> LandedCost:
    """Turn an evaluation into the explained LandedCost: names, rules, sources, payers, de minimis reasons."""
    facts = ctx.facts
    cur = plan.currency
    payer = plan.payer
    lines = []
    for source, _kind, base, amount in ev.lines:
        if source == "base":
            line = ctx.base
            assert line is not None
            lines.append(QuoteLine(
                name=f"Customs duty (HS {line.code})", kind="duty", rule=f"{line.version_id}:{line.code}",
                base=Money(base, cur), rate=format_rate(line.rate), amount=Money(amount, cur),
                source=line.reference.href, effective_from=line.valid_from, certainty=line.certainty,
                payer=payer, collected_at="border", legal_basis=line.reference.title,  # type: ignore[arg-type]
                note=line.note))
        elif source == "tax":
            ref = facts.standard_rate
            rate = plan.tax_rate
            assert rate is not None
            lines.append(QuoteLine(
                name=f"Import {facts.tax_name}" + (" (collected at checkout)" if ev.point_of_sale else ""),
                kind="tax", rule=f"{facts.code.lower()}.tax.standard_rate", base=Money(base, cur),
                rate=f"{rate.normalize():f}%", amount=Money(amount, cur), source=ref.source,
                effective_from=ref.effective_from, certainty=ref.certainty,
                payer="buyer" if ev.point_of_sale else payer,  # type: ignore[arg-type]
                collected_at="point_of_sale" if ev.point_of_sale else "border",
                legal_basis=_tax_basis(plan, facts, point_of_sale=ev.point_of_sale), note=ref.note))
        else:
            assert isinstance(source, ResolvedMeasure)
            measure = source.measure
            lines.append(QuoteLine(
                name=measure.name, kind=measure.category, rule=measure.id, base=Money(base, cur),
                rate=format_rate(source.rate), amount=Money(amount, cur), source=measure.reference.href,
                effective_from=source.version.valid_from, certainty=source.version.certainty, payer=payer,  # type: ignore[arg-type]
                collected_at="border", legal_basis=measure.legal_basis,
                note=source.version.note or measure.coverage_note))
    gaps: tuple[Gap, ...] = tuple(g for g in ctx.gaps if g.rule in ev.open_gaps)
    total = ev.duty + ev.tax + ev.fees
    return LandedCost(
        currency=cur, customs_value=Money(ev.customs, cur), valuation_basis="CIF" if plan.cif else "FOB",
        duty=Money(ev.duty, cur), import_vat=Money(ev.tax, cur), import_tax_name=facts.tax_name,
        other_taxes_and_fees=Money(ev.fees, cur), total_taxes_and_duties=Money(total, cur),
        goods_and_transport=Money(ev.goods_and_transport, cur), landed_cost=Money(ev.landed, cur),
        landed_cost_seller_currency=(Money(ev.landed_seller, plan.seller_currency)
                                     if ev.landed_seller is not None and plan.seller_currency else None),
        de_minimis_applied=ev.duty_dm_applies or ev.tax_dm_applies, incoterm=req.incoterm,
        payable_by_buyer=Money(ev.buyer_pays, cur), payable_by_seller=round_money(total - ev.buyer_pays, cur),
        lines=tuple(lines),
        de_minimis=(_outcome("duty", plan.duty_dm, ev.duty_dm_applies, ev.duty_dm_value, facts.de_minimis_duty),
                    _outcome("tax", plan.tax_dm, ev.tax_dm_applies, ev.tax_dm_value, facts.de_minimis_tax)),
        gaps=gaps, fx=ctx.fx, warnings=ctx.warnings, versions=ctx.versions)


def compute_landed_cost(req: QuoteRequest, ctx: QuoteContext) -> LandedCost:
    """Compute duties, import tax, fees, de minimis decisions and totals for one quote. Pure."""
    plan = plan_quote(req, ctx)
    return explain(req, ctx, plan, evaluate(plan, ctx, req))


def _tax_basis(plan: QuotePlan, facts: MarketFacts, *, point_of_sale: bool) -> str:
    uplift = facts.import_tax_uplift
    if plan.tax_base_uplift is None or uplift is None or point_of_sale:
        return f"import_tax.base = {plan.tax_base_kind}"
    return (f"import_tax.base = {plan.tax_base_kind} + {plan.tax_base_uplift.normalize():f}% of the customs value "
            f"(import_tax.base_uplift, {uplift.source}, from {uplift.effective_from.isoformat()})")
