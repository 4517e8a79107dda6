"""Demo story 3 (pricing): a few saved quotes from catalog facts — purchase price, origin, HS code, weight — so the
saved-quote list, replay and "what changes today" have something to show. The price matrix needs no seeding: it is
computed on request from the catalog."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from xborder import catalog, inventory, pricing
from xborder.demo._common import data_yaml
from xborder.kernel import Money, NotFound, ValidationFailed

__all__ = ["seed_pricing"]


def _shipping(variant: catalog.VariantOut, origin: str, destination: str, mode: str) -> tuple[Money | None, str]:
    """Lane freight per kg x gross weight, or None (said in the label) where no lane is shipped."""
    try:
        lane = inventory.find_lane(origin, destination, mode)
    except NotFound:
        return None, f"excl. shipping: no {mode} lane {origin}→{destination} in the lane data"
    weight = variant.gross_weight_kg or variant.net_weight_kg
    if lane.cost_per != "kg" or weight is None:
        return None, "excl. shipping"
    amount = (lane.cost_amount * Decimal(weight)).quantize(Decimal("0.01"))
    return Money.of(amount, lane.cost_currency), f"shipping: lane {lane.id} × {weight} kg"


def seed_pricing(session: Session, *, organization_id: str, data: pricing.PricingData, today: date) -> bool:
    """Save the demo quotes (skipped, False, when they exist)."""
    specs = data_yaml("quotes.yaml")["quotes"]
    saved = [q.label or "" for q in pricing.list_saved_quotes(session, organization_id=organization_id, limit=500)]
    todo = [s for s in specs if not any(label.startswith(s["label"]) for label in saved)]
    if not todo:
        return False
    latest = data.with_latest_fx()
    for spec in todo:
        variant = catalog.get_variant_by_sku(session, organization_id=organization_id, sku=spec["sku"])
        if not (variant.cost_price and variant.cost_currency and variant.hs_code and variant.origin_country):
            raise ValidationFailed(f"demo quote {spec['sku']}: the catalog lacks cost, HS code or origin")
        shipping, note = _shipping(variant, variant.origin_country, spec["destination"], spec["shipping_lane_mode"])
        request = pricing.QuoteRequest(
            origin=variant.origin_country, destination=spec["destination"], hs_code=variant.hs_code,
            goods_value=Money.of(variant.cost_price, variant.cost_currency), shipping=shipping, on=today,
            incoterm=spec["incoterm"], weight_kg=variant.gross_weight_kg)
        pricing.save_quote(session, organization_id=organization_id, data=latest, request=request,
                           label=f"{spec['label']} ({note})"[:200])
    return True
