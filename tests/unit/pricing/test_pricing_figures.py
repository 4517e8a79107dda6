"""The figures-only batch path equals the explained single path (same plan + evaluate), errors included."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from xborder.kernel import DomainError, Money
from xborder.pricing import (
    EcbReferenceRates,
    PricingData,
    QuoteFigures,
    QuoteRequest,
    figures_of,
    quote_figures,
    quote_landed_cost,
)

MARKETS = ["DE", "GB", "US", "JP", "KR", "CA", "SG", "AE", "BR", "AU", "PL"]
CODES = ["610910", "640399", "950300", "851830", "420292", "330499", "940360", "847130", "6109100010"]


def _requests(n: int) -> list[QuoteRequest]:
    rng = random.Random(3)
    out = []
    for _ in range(n):
        currency = rng.choice(["USD", "EUR", "GBP"])
        out.append(QuoteRequest(
            origin=rng.choice(["CN", "US", "VN"]), destination=rng.choice(MARKETS), hs_code=rng.choice(CODES),
            goods_value=Money(Decimal(rng.randint(0, 400000)).scaleb(-2), currency),
            shipping=Money(Decimal(rng.randint(0, 5000)).scaleb(-2), currency),
            on=rng.choice([date(2025, 3, 1), date(2025, 9, 5), date(2026, 3, 5), date(2026, 8, 1)]),
            quantity=rng.randint(1, 3), weight_kg=Decimal(rng.randint(1, 30)).scaleb(-1),
            incoterm=rng.choice(["DAP", "DDP"]), channel=rng.choice(["postal", "courier"]),
            registrations=rng.choice([frozenset(), frozenset({"ioss"}), frozenset({"remessa_conforme"}),
                                      frozenset({"us_postal_specific"})]),
            seller_currency=rng.choice([None, "CNY", "USD"])))
    return out


def test_quote_figures_equal_single_path_including_errors() -> None:
    requests = _requests(1500)
    batch = list(quote_figures(PricingData(fx=EcbReferenceRates()), requests))
    fresh = PricingData(fx=EcbReferenceRates())
    ok = 0
    for request, item in zip(requests, batch, strict=True):
        try:
            single = figures_of(quote_landed_cost(fresh, request=request))
        except DomainError as exc:
            assert isinstance(item, DomainError) and item.code == exc.code and item.message == exc.message
            continue
        assert isinstance(item, QuoteFigures) and item == single, request
        ok += 1
    assert ok > 500  # the sample must exercise real quotes, not only errors
