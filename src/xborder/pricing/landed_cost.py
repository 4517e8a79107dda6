"""Pure landed-cost core: QuoteRequest + QuoteContext in, LandedCost out. No session, no clock, no I/O.

Order of the law: convert to the destination currency, value the goods (CIF or FOB), decide the duty de minimis,
compute each duty measure, fees, then the import VAT/GST base (incl. duty where the market says so) and the tax.
Each line is rounded to the currency's minor unit (half-up) where it is assessed, before totals are summed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from xborder.kernel import Money, currency_exponent
from xborder.markets import DeMinimisThreshold, de_minimis_applies
from xborder.pricing.errors import MarketFactMissing, NoTariffData, PricingInputInvalid
from xborder.pricing.model import (
    DeMinimisOutcome,
    FactRef,
    LandedCost,
    QuoteContext,
    QuoteLine,
    QuoteRequest,
    ResolvedMeasure,
)
from xborder.pricing.rates import evaluate_rate, format_rate
from xborder.pricing.schedules import ValueCondition

__all__ = ["compute_landed_cost", "round_money"]

_QUANTUM: dict[str, Decimal] = {}


def round_money(amount: Decimal, currency: str) -> Money:
    """Round half-up to the currency's minor unit (the step at which customs and tax authorities assess)."""
    quantum = _QUANTUM.get(currency)
    if quantum is None:
        quantum = _QUANTUM[currency] = Decimal(1).scaleb(-currency_exponent(currency))
    return Money(amount.quantize(quantum, rounding=ROUND_HALF_UP), currency)


def _to(ctx: QuoteContext, money: Money, currency: str) -> Decimal:
    if money.currency == currency:
        return money.amount
    return money.amount * ctx.rate(money.currency, currency).rate


def _check(req: QuoteRequest) -> None:
    problems = []
    if req.goods_value.amount < 0:
        problems.append("goods_value must not be negative")
    for name, money in (("shipping", req.shipping), ("insurance", req.insurance)):
        if money is not None and money.amount < 0:
            problems.append(f"{name} must not be negative")
    if req.quantity < 1:
        problems.append("quantity must be at least 1")
    if req.weight_kg is not None and req.weight_kg < 0:
        problems.append("weight_kg must not be negative")
    if req.incoterm not in ("DAP", "DDP"):
        problems.append(f"incoterm {req.incoterm!r} is not supported (DAP or DDP)")
    if req.channel not in ("postal", "courier", "freight"):
        problems.append(f"channel {req.channel!r} is not postal, courier or freight")
    if req.buyer not in ("B2C", "B2B"):
        problems.append(f"buyer {req.buyer!r} is not B2C or B2B")
    if problems:
        raise PricingInputInvalid("; ".join(problems))


def _basis_values(goods: Decimal, transport: Decimal, customs: Decimal) -> dict[str, Decimal]:
    # fair retail value is not known to the engine: the goods value stands for it (US s.321 practice for sales)
    return {"customs_value": customs, "intrinsic_value": goods, "consignment_value": goods + transport,
            "fair_retail_value": goods}


def _decide(kind: Literal["duty", "tax"], ref: FactRef, thresholds: Sequence[DeMinimisThreshold],
            values: dict[str, Decimal], ctx: QuoteContext, req: QuoteRequest, currency: str) -> DeMinimisOutcome:
    """Group thresholds by (basis, currency) so each group is compared on its own basis, then keep the decision the
    markets helper made for the most specific matching entry."""
    best: DeMinimisOutcome | None = None
    best_rank = (-1, -1)
    groups: dict[tuple[str, str], list[DeMinimisThreshold]] = {}
    for entry in thresholds:
        groups.setdefault((entry.basis, entry.currency), []).append(entry)
    for (basis, thr_currency), entries in groups.items():
        compared = _in_currency(values, basis, thr_currency, ctx, currency)
        value = Money(compared, thr_currency)
        decision = de_minimis_applies(entries, value=value, origin=req.origin, channel=req.channel,
                                      schemes=req.registrations)
        if decision.threshold is None:
            continue
        entry = decision.threshold
        rank = ((2 if entry.origins is not None else 1 if entry.excluded_origins is not None else 0)
                + (entry.channels is not None), 1 if entry.requires else 0)
        if rank > best_rank:
            best_rank = rank
            best = DeMinimisOutcome(kind, decision.applies, entry, value, decision.collection, decision.reason,
                                    ref.source, ref.effective_from)
    if best is None:
        reason = "no de minimis in force" if not thresholds else "no de minimis matches this origin and channel"
        return DeMinimisOutcome(kind, False, None, None, None, reason, ref.source,
                                ref.effective_from)
    return best


def _in_currency(values: dict[str, Decimal], basis: str, target: str, ctx: QuoteContext, currency: str) -> Decimal:
    """A basis value in `target`: the declared amounts when the request is in `target` (no FX round trip that
    could push USD 50.00 over a USD 50 band), else the destination-currency value converted."""
    native = values.get(f"{target}:{basis}")
    if native is not None:
        return native
    local = values[basis]
    return local if target == currency else local * ctx.rate(currency, target).rate


def _condition_holds(cond: ValueCondition, values: dict[str, Decimal], ctx: QuoteContext, currency: str) -> Decimal:
    return _in_currency(values, cond.basis, cond.currency, ctx, currency)


def _measure_applies(rm: ResolvedMeasure, values: dict[str, Decimal], ctx: QuoteContext, currency: str) -> bool:
    measure = rm.measure
    if measure.value_above is not None and not (
            _condition_holds(measure.value_above, values, ctx, currency) > measure.value_above.amount):
        return False
    return measure.value_at_most is None or (
        _condition_holds(measure.value_at_most, values, ctx, currency) <= measure.value_at_most.amount)


def compute_landed_cost(req: QuoteRequest, ctx: QuoteContext) -> LandedCost:
    """Compute duties, import tax, fees, de minimis decisions and totals for one quote. Pure."""
    _check(req)
    facts = ctx.facts
    cur = facts.currency
    payer = "seller" if req.incoterm == "DDP" else "buyer"
    goods = _to(ctx, req.goods_value, cur)
    transport = (_to(ctx, req.shipping, cur) if req.shipping else Decimal(0)) + (
        _to(ctx, req.insurance, cur) if req.insurance else Decimal(0))
    basis = facts.valuation_basis.value
    if basis not in ("CIF", "FOB"):
        raise MarketFactMissing(f"{facts.code}: customs.valuation_basis {basis!r} is not CIF or FOB")
    customs = round_money(goods + transport if basis == "CIF" else goods, cur)
    values = _basis_values(goods, transport, customs.amount)
    declared = req.goods_value.currency
    if all(m is None or m.currency == declared for m in (req.shipping, req.insurance)) and declared != cur:
        raw_transport = sum((m.amount for m in (req.shipping, req.insurance) if m is not None), Decimal(0))
        raw_goods = req.goods_value.amount
        raw_customs = raw_goods + raw_transport if basis == "CIF" else raw_goods
        values.update({f"{declared}:{k}": v for k, v in _basis_values(raw_goods, raw_transport, raw_customs).items()})
    quantities = {"item": Decimal(req.quantity), "subheading": Decimal(1), "entry": Decimal(1),
                  **dict(req.extra_quantities)}
    if req.weight_kg is not None:
        quantities["kg"] = req.weight_kg

    def convert(amount: Decimal, currency: str) -> Decimal:
        return amount if currency == cur else amount * ctx.rate(currency, cur).rate

    duty_dm = _decide("duty", facts.de_minimis_duty, facts.de_minimis_duty.value, values, ctx, req, cur)  # type: ignore[arg-type]
    applicable = [rm for rm in ctx.measures if _measure_applies(rm, values, ctx, cur)
                  and (rm.measure.ignores_de_minimis or not duty_dm.applies)]
    excluded = {ex for rm in applicable for ex in rm.measure.excludes}
    applicable = [rm for rm in applicable if rm.measure.id not in excluded]
    gaps = tuple(g for g in ctx.gaps if g.rule not in excluded and (g.ignores_de_minimis or not duty_dm.applies))
    lines: list[QuoteLine] = []
    base_replaced = any(rm.measure.replaces_base and rm.measure.category == "duty" for rm in applicable)
    if not duty_dm.applies and not base_replaced:
        line = ctx.base
        if line is None:
            message, details = ctx.base_missing or (f"{facts.code}: no tariff line for HS {req.hs_code}", ())
            raise NoTariffData(message, details=list(details))
        amount = evaluate_rate(line.rate, value=customs.amount, quantities=quantities, convert=convert,
                               where=f"{facts.code} HS {line.code}")
        lines.append(QuoteLine(
            name=f"Customs duty (HS {line.code})", kind="duty", rule=f"{line.version_id}:{line.code}", base=customs,
            rate=format_rate(line.rate), amount=round_money(max(amount, Decimal(0)), cur), source=line.reference.href,
            effective_from=line.valid_from, certainty=line.certainty, payer=payer, collected_at="border",  # type: ignore[arg-type]
            legal_basis=line.reference.title, note=line.note))
    for rm in applicable:
        measure = rm.measure
        amount = evaluate_rate(rm.rate, value=customs.amount, quantities=quantities, convert=convert,
                               where=measure.id)
        lines.append(QuoteLine(
            name=measure.name, kind=measure.category, rule=measure.id, base=customs, rate=format_rate(rm.rate),
            amount=round_money(max(amount, Decimal(0)), cur), source=measure.reference.href,
            effective_from=rm.version.valid_from, certainty=rm.version.certainty, payer=payer,  # type: ignore[arg-type]
            collected_at="border", legal_basis=measure.legal_basis, note=rm.version.note or measure.coverage_note))
    duty_total = sum((ln.amount.amount for ln in lines if ln.kind == "duty"), Decimal(0))

    tax_dm = _decide("tax", facts.de_minimis_tax, facts.de_minimis_tax.value, values, ctx, req, cur)  # type: ignore[arg-type]
    tax_base_kind = facts.import_tax_base.value
    rate = facts.standard_rate.value
    if tax_base_kind != "none" and rate is not None and not (tax_dm.applies and tax_dm.collection == "border"):
        if not isinstance(rate, Decimal):
            raise MarketFactMissing(f"{facts.code}: tax.standard_rate is not a decimal")
        point_of_sale = tax_dm.applies and tax_dm.collection == "point_of_sale"
        if point_of_sale:
            # collected by the registered seller at checkout on the price of the supply, delivery included
            tax_base = round_money(goods + transport, cur)
        elif tax_base_kind == "cif_plus_duty_tax_inclusive":
            # "por dentro": the tax is part of its own base, base = (CIF + duty) / (1 - rate) (Brazil's ICMS)
            tax_base = round_money((goods + transport + duty_total) / (1 - rate / 100), cur)
        elif tax_base_kind in ("cif_plus_duty", "cif_plus_duty_and_excise"):
            tax_base = round_money(goods + transport + duty_total, cur)
        elif tax_base_kind == "fob_plus_duty":
            tax_base = round_money(goods + duty_total, cur)
        elif tax_base_kind == "customs_value_plus_duty":
            tax_base = round_money(customs.amount + duty_total, cur)
        else:
            raise MarketFactMissing(f"{facts.code}: import_tax.base {tax_base_kind!r} is not understood")
        ref = facts.standard_rate
        lines.append(QuoteLine(
            name=f"Import {facts.tax_name}" + (" (collected at checkout)" if point_of_sale else ""), kind="tax",
            rule=f"{facts.code.lower()}.tax.standard_rate", base=tax_base, rate=f"{rate.normalize():f}%",
            amount=round_money(tax_base.amount * rate / 100, cur), source=ref.source,
            effective_from=ref.effective_from, certainty=ref.certainty,
            payer="buyer" if point_of_sale else payer,  # type: ignore[arg-type]
            collected_at="point_of_sale" if point_of_sale else "border",
            legal_basis=f"import_tax.base = {tax_base_kind}", note=ref.note))

    zero = Decimal(0)
    duty = round_money(duty_total, cur)
    vat = round_money(sum((ln.amount.amount for ln in lines if ln.kind == "tax"), zero), cur)
    fees = round_money(sum((ln.amount.amount for ln in lines if ln.kind == "fee"), zero), cur)
    total = Money(duty.amount + vat.amount + fees.amount, cur)
    goods_and_transport = round_money(goods + transport, cur)
    landed = Money(goods_and_transport.amount + total.amount, cur)
    buyer_pays = sum((ln.amount.amount for ln in lines if ln.payer == "buyer"), zero)
    seller_currency = req.seller_currency
    landed_seller = None
    if seller_currency is not None:
        landed_seller = round_money(landed.amount if seller_currency == cur
                                    else landed.amount * ctx.rate(cur, seller_currency).rate, seller_currency)
    return LandedCost(
        currency=cur, customs_value=customs, valuation_basis=basis, duty=duty, import_vat=vat,
        import_tax_name=facts.tax_name, other_taxes_and_fees=fees, total_taxes_and_duties=total,
        goods_and_transport=goods_and_transport, landed_cost=landed, landed_cost_seller_currency=landed_seller,
        de_minimis_applied=duty_dm.applies or tax_dm.applies, incoterm=req.incoterm,
        payable_by_buyer=round_money(buyer_pays, cur), payable_by_seller=round_money(total.amount - buyer_pays, cur),
        lines=tuple(lines), de_minimis=(duty_dm, tax_dm), gaps=gaps, fx=ctx.fx, warnings=ctx.warnings,
        versions=ctx.versions)


