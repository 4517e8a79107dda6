"""Batch quoting (catalog x markets): parse rows; quote each with the single-quote path (`quote_batch`, explained
results) or the figures-only path (`quote_figures`, for millions of rows).

`quote_figures` resolves a context and a plan once per (destination, origin, HS, channel, date, currencies, buyer,
registrations...) and runs the same `plan.evaluate` as a single quote, so its figures equal the single path's.
Rows that fail carry their error (code + message) instead of stopping the batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from xborder.kernel import DomainError, ErrorDetail, Money, parse_decimal
from xborder.pricing.errors import PricingInputInvalid
from xborder.pricing.model import LandedCost, QuoteContext, QuoteRequest
from xborder.pricing.plan import QuotePlan, _check, evaluate, plan_quote, quantum_of
from xborder.pricing.service import PricingData, normalize_request, quote_landed_cost

__all__ = ["BATCH_COLUMNS", "BatchResult", "QuoteFigures", "figures_of", "parse_quote_row", "quote_batch",
           "quote_figures"]

BATCH_COLUMNS = ("origin", "dest", "hs", "value", "currency", "shipping", "insurance", "quantity", "weight_kg",
                 "incoterm", "channel", "date", "ioss", "buyer", "seller_currency", "registrations", "subdivision")


@dataclass(frozen=True, slots=True)
class BatchResult:
    row: int
    result: LandedCost | None
    error: DomainError | None


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "y")


def parse_quote_row(row: Mapping[str, str], *, row_number: int) -> QuoteRequest:
    """Build a QuoteRequest from a CSV row (columns BATCH_COLUMNS; required: origin, dest, hs, value, currency,
    date); errors name the row and column."""
    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    missing = [name for name in ("origin", "dest", "hs", "value", "currency", "date") if not get(name)]
    if missing:
        raise PricingInputInvalid(f"row {row_number}: missing {', '.join(missing)}",
                                  details=[ErrorDetail(f"missing {m}", field=m, row=row_number) for m in missing])
    try:
        currency = get("currency").upper()
        shipping = Money.of(get("shipping"), currency) if get("shipping") else None
        insurance = Money.of(get("insurance"), currency) if get("insurance") else None
        # registrations: semicolon-separated scheme names (uk_vat;remessa_conforme); `ioss` kept as its own flag
        schemes = {item.strip().lower() for item in get("registrations").split(";") if item.strip()}
        registrations = frozenset(schemes | ({"ioss"} if _flag(get("ioss")) else set()))
        return QuoteRequest(
            origin=get("origin").upper(), destination=get("dest").upper(), hs_code=get("hs"),
            goods_value=Money.of(get("value"), currency), shipping=shipping, insurance=insurance,
            quantity=int(get("quantity") or 1),
            weight_kg=parse_decimal(get("weight_kg"), field="weight_kg") if get("weight_kg") else None,
            incoterm=(get("incoterm") or "DAP").upper(),  # type: ignore[arg-type]
            channel=(get("channel") or "courier").lower(),  # type: ignore[arg-type]
            on=date.fromisoformat(get("date")), buyer=(get("buyer") or "B2C").upper(),  # type: ignore[arg-type]
            registrations=registrations, seller_currency=get("seller_currency").upper() or None,
            subdivision=get("subdivision").upper() or None)
    except DomainError as exc:
        raise PricingInputInvalid(f"row {row_number}: {exc.message}",
                                  details=[ErrorDetail(exc.message, row=row_number)]) from None
    except ValueError as exc:
        raise PricingInputInvalid(f"row {row_number}: {exc}", details=[ErrorDetail(str(exc), row=row_number)]) from None


def quote_batch(data: PricingData, rows: Iterable[QuoteRequest | DomainError]) -> Iterator[BatchResult]:
    """Quote every request with the single-quote function; the shared `data` cache makes repeated plans cheap."""
    for index, item in enumerate(rows, start=1):
        if isinstance(item, DomainError):
            yield BatchResult(index, None, item)
            continue
        try:
            yield BatchResult(index, quote_landed_cost(data, request=item), None)
        except DomainError as exc:
            yield BatchResult(index, None, exc)


@dataclass(frozen=True, slots=True)
class QuoteFigures:
    """The headline figures of a quote (destination currency, rounded), without the per-line explanation."""

    currency: str
    customs_value: Decimal
    duty: Decimal
    import_vat: Decimal
    other_taxes_and_fees: Decimal
    total_taxes_and_duties: Decimal
    landed_cost: Decimal
    landed_cost_seller_currency: Decimal | None
    de_minimis_applied: bool
    payable_by_buyer: Decimal
    payable_by_seller: Decimal
    complete: bool


def figures_of(result: LandedCost) -> QuoteFigures:
    """The figures of an explained single quote (to compare with `quote_figures`)."""
    seller = result.landed_cost_seller_currency
    return QuoteFigures(
        result.currency, result.customs_value.amount, result.duty.amount, result.import_vat.amount,
        result.other_taxes_and_fees.amount, result.total_taxes_and_duties.amount, result.landed_cost.amount,
        seller.amount if seller is not None else None, result.de_minimis_applied, result.payable_by_buyer.amount,
        result.payable_by_seller.amount, result.complete)


_Prepared = tuple[QuoteContext, QuotePlan]


def _prepare(data: PricingData, request: QuoteRequest) -> _Prepared:
    req = normalize_request(request)
    ctx = data.context(req)
    plan = plan_quote(req, ctx)
    return ctx, plan


def quote_figures(data: PricingData, requests: Iterable[QuoteRequest]) -> Iterator[QuoteFigures | DomainError]:
    """Figures for each request, in order; a failing request yields its DomainError. Plans are shared between
    requests that differ only in amounts, quantity and weight, which is what a catalog x markets batch looks like."""
    prepared: dict[tuple[object, ...], _Prepared | DomainError] = {}
    for req in requests:
        shipping, insurance = req.shipping, req.insurance
        key = (req.destination, req.origin, req.hs_code, req.channel, req.on, req.goods_value.currency,
               shipping.currency if shipping is not None else None,
               insurance.currency if insurance is not None else None, req.seller_currency, req.buyer,
               req.registrations, req.subdivision, req.incoterm)
        found = prepared.get(key)
        if found is None:
            try:
                found = _prepare(data, req)
            except DomainError as exc:
                found = exc
            prepared[key] = found
        if isinstance(found, DomainError):
            yield found
            continue
        ctx, plan = found
        try:
            if (req.goods_value.amount < 0 or req.quantity < 1 or (shipping is not None and shipping.amount < 0)
                    or (insurance is not None and insurance.amount < 0)
                    or (req.weight_kg is not None and req.weight_kg < 0)):
                _check(req)
            ev = evaluate(plan, ctx, req)
        except DomainError as exc:
            yield exc
            continue
        complete = not ev.open_gaps
        total = ev.duty + ev.tax + ev.fees
        seller_pays = (total - ev.buyer_pays).quantize(quantum_of(plan.currency), rounding=ROUND_HALF_UP)
        yield QuoteFigures(plan.currency, ev.customs, ev.duty, ev.tax, ev.fees, total, ev.landed, ev.landed_seller,
                           ev.duty_dm_applies or ev.tax_dm_applies, ev.buyer_pays, seller_pays, complete)
