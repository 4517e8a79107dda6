"""Staged landed-cost arithmetic: `plan_quote` fixes what does not depend on amounts (winning de minimis entries,
FX factors, measures, tax base); `evaluate` does the per-consignment Decimal arithmetic.

`compute_landed_cost` (one quote, with explanations) and `quote_figures` (batch, figures only) both run these two
functions, so batch and single results are equal by construction. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from xborder.kernel import Money, currency_exponent
from xborder.markets import DeMinimisThreshold, de_minimis_applies
from xborder.pricing.errors import MarketFactMissing, NoTariffData, PricingInputInvalid
from xborder.pricing.model import QuoteContext, QuoteRequest, ResolvedMeasure
from xborder.pricing.rates import AdValorem, evaluate_rate
from xborder.pricing.schedules import ValueCondition

__all__ = ["DeMinimisPick", "Evaluation", "QuotePlan", "evaluate", "plan_quote", "quantum_of"]

ZERO = Decimal(0)
_QUANTUM: dict[str, Decimal] = {}
_TAX_BASES = frozenset({"cif_plus_duty", "cif_plus_duty_and_excise", "cif_plus_duty_and_fees", "fob_plus_duty",
                        "customs_value_plus_duty", "cif_plus_duty_tax_inclusive"})


def quantum_of(currency: str) -> Decimal:
    quantum = _QUANTUM.get(currency)
    if quantum is None:
        quantum = _QUANTUM[currency] = Decimal(1).scaleb(-currency_exponent(currency))
    return quantum


@dataclass(frozen=True, slots=True)
class DeMinimisPick:
    """The threshold entry that decides for this origin/channel/registrations (the value only decides yes/no)."""

    entry: DeMinimisThreshold | None
    reason_if_none: str


@dataclass(frozen=True, slots=True)
class QuotePlan:
    currency: str
    quantum: Decimal
    cif: bool
    payer: str
    to_dest: dict[str, Decimal]  # request/specific-rate currency -> destination (1 for the destination itself)
    from_dest: dict[str, Decimal]  # destination -> threshold/condition/seller currency
    declared: str | None  # the request's single currency when it differs from the destination
    duty_dm: DeMinimisPick
    tax_dm: DeMinimisPick
    measures: tuple[ResolvedMeasure, ...]
    tax_rate: Decimal | None
    tax_base_kind: str
    seller_currency: str | None
    tax_base_uplift: Decimal | None = None  # percent of the customs value added to the import-tax base
    # measure, its ad valorem percent (fast path) and whether it replaces the base duty
    steps: tuple[tuple[ResolvedMeasure, Decimal | None, bool], ...] = ()
    base_percent: Decimal | None = None
    needs_quantities: bool = True


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Per-consignment results; `lines` are (source, kind, base, amount) with source "base", "tax" or a measure."""

    goods: Decimal
    transport: Decimal
    customs: Decimal
    duty_dm_applies: bool
    duty_dm_value: Decimal | None
    tax_dm_applies: bool
    tax_dm_value: Decimal | None
    point_of_sale: bool
    excluded: frozenset[str]
    open_gaps: frozenset[str]  # rules of ctx.gaps that concern this consignment (not excluded, in its value band)
    lines: tuple[tuple[object, str, Decimal, Decimal], ...]
    duty: Decimal
    tax: Decimal
    fees: Decimal
    goods_and_transport: Decimal
    landed: Decimal
    buyer_pays: Decimal
    landed_seller: Decimal | None


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


def _pick(thresholds: Sequence[DeMinimisThreshold], req: QuoteRequest) -> DeMinimisPick:
    """Group thresholds by (basis, currency) as the law compares each on its own basis; keep the most specific
    matching entry. Which entry matches does not depend on the value, so this runs once per plan."""
    best: DeMinimisThreshold | None = None
    best_rank = (-1, -1)
    groups: dict[tuple[str, str], list[DeMinimisThreshold]] = {}
    for entry in thresholds:
        groups.setdefault((entry.basis, entry.currency), []).append(entry)
    for (_basis, currency), entries in groups.items():
        # the helper picks the entry; a zero probe value in the entry's currency never changes which one it picks
        decision = de_minimis_applies(entries, value=Money(ZERO, currency), origin=req.origin, channel=req.channel,
                                      schemes=req.registrations)
        found = decision.threshold
        if found is None:
            continue
        rank = ((2 if found.origins is not None else 1 if found.excluded_origins is not None else 0)
                + (found.channels is not None), 1 if found.requires else 0)
        if rank > best_rank:
            best_rank, best = rank, found
    reason = "no de minimis in force" if not thresholds else "no de minimis matches this origin and channel"
    return DeMinimisPick(best, reason)


def plan_quote(req: QuoteRequest, ctx: QuoteContext) -> QuotePlan:
    """Resolve everything of a quote that does not depend on the amounts (validated request, resolved context)."""
    _check(req)
    facts = ctx.facts
    cur = facts.currency
    basis = facts.valuation_basis.value
    if basis not in ("CIF", "FOB"):
        raise MarketFactMissing(f"{facts.code}: customs.valuation_basis {basis!r} is not CIF or FOB")
    tax_base_kind = str(facts.import_tax_base.value)
    rate = facts.standard_rate.value
    if tax_base_kind != "none" and rate is not None:
        if not isinstance(rate, Decimal):
            raise MarketFactMissing(f"{facts.code}: tax.standard_rate is not a decimal")
        if tax_base_kind not in _TAX_BASES:
            raise MarketFactMissing(f"{facts.code}: import_tax.base {tax_base_kind!r} is not understood")
    to_dest = {cur: Decimal(1)}
    from_dest = {cur: Decimal(1)}
    for fx in ctx.fx:
        if fx.quote == cur:
            to_dest[fx.base] = fx.rate
        if fx.base == cur:
            from_dest[fx.quote] = fx.rate
    currencies = {m.currency for m in (req.goods_value, req.shipping, req.insurance) if m is not None}
    for currency in currencies:
        if currency not in to_dest:
            ctx.rate(currency, cur)  # raises FxRateMissing naming the pair
    declared = req.goods_value.currency if len(currencies) == 1 and req.goods_value.currency != cur else None
    # plain ad valorem rates are applied as `value * percent / 100`, the very expression evaluate_rate uses
    steps = tuple((rm, rm.rate.percent if isinstance(rm.rate, AdValorem) else None,
                   rm.measure.replaces_base and rm.measure.category == "duty") for rm in ctx.measures)
    base_percent = ctx.base.rate.percent if ctx.base is not None and isinstance(ctx.base.rate, AdValorem) else None
    needs_quantities = (ctx.base is not None and base_percent is None) or any(p is None for _, p, _ in steps)
    return QuotePlan(
        currency=cur, quantum=quantum_of(cur), cif=basis == "CIF", payer="seller" if req.incoterm == "DDP" else "buyer",
        to_dest=to_dest, from_dest=from_dest, declared=declared,
        duty_dm=_pick(facts.de_minimis_duty.value, req),  # type: ignore[arg-type]
        tax_dm=_pick(facts.de_minimis_tax.value, req),  # type: ignore[arg-type]
        measures=ctx.measures, tax_rate=rate if isinstance(rate, Decimal) else None, tax_base_kind=tax_base_kind,
        seller_currency=req.seller_currency, steps=steps, base_percent=base_percent,
        needs_quantities=needs_quantities,
        tax_base_uplift=facts.import_tax_uplift.value if facts.import_tax_uplift is not None else None)  # type: ignore[arg-type]


def evaluate(plan: QuotePlan, ctx: QuoteContext, req: QuoteRequest) -> Evaluation:
    """Per-consignment arithmetic in the destination currency; each line rounded half-up where it is assessed."""
    cur, quantum, to_dest, from_dest = plan.currency, plan.quantum, plan.to_dest, plan.from_dest
    money = req.goods_value
    raw_goods = money.amount
    goods = raw_goods if money.currency == cur else raw_goods * to_dest[money.currency]
    transport = raw_transport = ZERO
    for extra in (req.shipping, req.insurance):
        if extra is not None:
            transport += extra.amount if extra.currency == cur else extra.amount * to_dest[extra.currency]
            raw_transport += extra.amount
    cif = plan.cif
    customs = (goods + transport if cif else goods).quantize(quantum, rounding=ROUND_HALF_UP)
    declared = plan.declared

    def value_in(basis: str, target: str) -> Decimal:
        # declared amounts when the request is in `target` (no FX round trip that could push USD 50.00 over a
        # USD 50 band), else the destination-currency value converted
        if target == declared:
            if basis == "customs_value":
                return raw_goods + raw_transport if cif else raw_goods
            return raw_goods + raw_transport if basis == "consignment_value" else raw_goods
        local = customs if basis == "customs_value" else goods + transport if basis == "consignment_value" else goods
        return local if target == cur else local * from_dest[target]

    duty_entry = plan.duty_dm.entry
    duty_value = value_in(duty_entry.basis, duty_entry.currency) if duty_entry is not None else None
    duty_dm = duty_value is not None and duty_entry is not None and duty_value <= duty_entry.amount

    def in_band(above: ValueCondition | None, at_most: ValueCondition | None) -> bool:
        return ((above is None or value_in(above.basis, above.currency) > above.amount)
                and (at_most is None or value_in(at_most.basis, at_most.currency) <= at_most.amount))

    applicable = [step for step in plan.steps
                  if (not duty_dm or step[0].measure.ignores_de_minimis)
                  and in_band(step[0].measure.value_above, step[0].measure.value_at_most)]
    excluded: frozenset[str] = frozenset()
    if applicable:
        excluded = frozenset(ex for step in applicable for ex in step[0].measure.excludes)
        if excluded:
            applicable = [step for step in applicable if step[0].measure.id not in excluded]
    open_gaps = frozenset(g.rule for g in ctx.gaps if g.rule not in excluded
                          and (g.ignores_de_minimis or not duty_dm) and in_band(g.value_above, g.value_at_most))
    quantities: dict[str, Decimal] = {}
    if plan.needs_quantities:
        quantities = {"item": Decimal(req.quantity), "subheading": Decimal(1), "entry": Decimal(1),
                      **dict(req.extra_quantities)}
        if req.weight_kg is not None:
            quantities["kg"] = req.weight_kg

    def convert(amount: Decimal, currency: str) -> Decimal:
        return amount if currency == cur else amount * ctx.rate(currency, cur).rate

    lines: list[tuple[object, str, Decimal, Decimal]] = []
    duty_total = fee_total = ZERO
    replaced = False
    for step in applicable:
        replaced = replaced or step[2]
    if not duty_dm and not replaced:
        line = ctx.base
        if line is None:
            message, details = ctx.base_missing or (f"{ctx.facts.code}: no tariff line for HS {req.hs_code}", ())
            raise NoTariffData(message, details=list(details))
        percent = plan.base_percent
        amount = (customs * percent / 100 if percent is not None else
                  evaluate_rate(line.rate, value=customs, quantities=quantities, convert=convert,
                                where=f"{ctx.facts.code} HS {line.code}"))
        rounded = (amount if amount > ZERO else ZERO).quantize(quantum, rounding=ROUND_HALF_UP)
        lines.append(("base", "duty", customs, rounded))
        duty_total += rounded
    # measures on the duty come last, so they see every duty line (base rate and other duty measures)
    ordered = sorted(applicable, key=lambda step: step[0].measure.base == "duty")
    duty_base: Decimal | None = None  # the duty before any duty-based measure, so two of them never compound
    for rm, percent, _replaces in ordered:
        base_kind = rm.measure.base
        if base_kind == "duty" and duty_base is None:
            duty_base = duty_total
        value = (customs if base_kind == "customs_value" else goods if base_kind == "goods_value"
                 else duty_base if duty_base is not None else duty_total)
        amount = (value * percent / 100 if percent is not None else
                  evaluate_rate(rm.rate, value=value, quantities=quantities, convert=convert, where=rm.measure.id))
        rounded = (amount if amount > ZERO else ZERO).quantize(quantum, rounding=ROUND_HALF_UP)
        category = rm.measure.category
        lines.append((rm, category, value.quantize(quantum, rounding=ROUND_HALF_UP), rounded))
        if category == "duty":
            duty_total += rounded
        else:
            fee_total += rounded

    tax_entry = plan.tax_dm.entry
    tax_value = value_in(tax_entry.basis, tax_entry.currency) if tax_entry is not None else None
    tax_dm = tax_value is not None and tax_entry is not None and tax_value <= tax_entry.amount
    point_of_sale = tax_dm and tax_entry is not None and tax_entry.collection == "point_of_sale"
    rate = plan.tax_rate
    tax = ZERO.quantize(quantum)
    # a flat rate standing for duty and import tax (postal/courier regimes) leaves no separate VAT to charge
    tax_replaced = any(rm.measure.replaces_import_tax for rm, _, _ in applicable)
    if rate is not None and plan.tax_base_kind != "none" and not (tax_dm and not point_of_sale) and not tax_replaced:
        kind = plan.tax_base_kind
        # an uplift on the customs value belongs to the base before any tax-inclusive gross-up (ZA's 10 %)
        uplift = ZERO if plan.tax_base_uplift is None or point_of_sale else customs * plan.tax_base_uplift / 100
        if point_of_sale:
            # collected by the registered seller at checkout on the price of the supply, delivery included
            base = goods + transport
        elif kind == "cif_plus_duty_tax_inclusive":
            # "por dentro": the tax is part of its own base, base = (CIF + duty) / (1 - rate) (Brazil's ICMS)
            base = (goods + transport + duty_total + uplift) / (1 - rate / 100)
        elif kind in ("cif_plus_duty", "cif_plus_duty_and_excise"):
            base = goods + transport + duty_total
        elif kind == "cif_plus_duty_and_fees":
            base = goods + transport + duty_total + fee_total
        elif kind == "fob_plus_duty":
            base = goods + duty_total
        else:  # customs_value_plus_duty
            base = customs + duty_total
        if kind != "cif_plus_duty_tax_inclusive":
            base += uplift
        tax_base = base.quantize(quantum, rounding=ROUND_HALF_UP)
        tax = (tax_base * rate / 100).quantize(quantum, rounding=ROUND_HALF_UP)
        lines.append(("tax", "tax", tax_base, tax))
    duty = duty_total.quantize(quantum, rounding=ROUND_HALF_UP)
    fees = fee_total.quantize(quantum, rounding=ROUND_HALF_UP)
    goods_and_transport = (goods + transport).quantize(quantum, rounding=ROUND_HALF_UP)
    landed = goods_and_transport + duty + tax + fees
    # DAP: the buyer pays every border charge; DDP: the seller, except VAT collected at checkout
    buyer_pays = duty_total + fee_total + tax if plan.payer == "buyer" else tax if point_of_sale else ZERO
    landed_seller = None
    if plan.seller_currency is not None:
        target = plan.seller_currency
        landed_seller = (landed if target == cur else landed * from_dest[target]).quantize(
            quantum_of(target), rounding=ROUND_HALF_UP)
    return Evaluation(goods, transport, customs, duty_dm, duty_value, tax_dm, tax_value, point_of_sale, excluded,
                      open_gaps, tuple(lines), duty, tax, fees, goods_and_transport, landed,
                      buyer_pays.quantize(quantum, rounding=ROUND_HALF_UP), landed_seller)
