"""Batch quoting (catalog x markets): parse rows, quote each through the single-quote path with a shared cache.

Rows that fail carry their error (code + message) instead of stopping the batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from xborder.kernel import DomainError, ErrorDetail, Money, parse_decimal
from xborder.pricing.errors import PricingInputInvalid
from xborder.pricing.model import LandedCost, QuoteRequest
from xborder.pricing.service import PricingData, quote_landed_cost

__all__ = ["BATCH_COLUMNS", "BatchResult", "parse_quote_row", "quote_batch"]

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
