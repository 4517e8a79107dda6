"""Culture packs per market: taboo terms, unlucky numbers, colour symbolism, forbidden health and green claims, and
promotion-calendar warnings (heavy promotion during Ramadan) from the market's event calendar."""

from __future__ import annotations

from datetime import timedelta

from xborder.kernel import Finding
from xborder.localization.checks.base import PreparedListing, QaContext, finding

__all__ = ["CHECKS", "colour_symbolism", "green_claim", "health_claim", "promotion_calendar", "taboo_term",
           "unlucky_number"]


def _scan(check: str, listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    entries = ctx.culture.entries_for(check, listing.language, ctx.on)
    found: list[Finding] = []
    for compiled in entries:
        for field in listing.fields:
            match = compiled.pattern.search(field.text)
            if match:
                found.append(finding(ctx, check, field.name, reference=compiled.reference,
                                     severity=compiled.entry.severity, note=compiled.entry.explanation.model_dump(),
                                     term=match.group(0).strip(), market=ctx.market))
    return found


def taboo_term(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Religion, alcohol, pork and other terms that are prohibited or offensive in the market."""
    return _scan("taboo_term", listing, ctx)


def unlucky_number(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Sets and counts built on an unlucky number (4 in JP, KR and for Chinese-speaking buyers)."""
    return _scan("unlucky_number", listing, ctx)


def colour_symbolism(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Colours and flowers with a mourning meaning used in a gift or celebration context."""
    return _scan("colour_symbolism", listing, ctx)


def health_claim(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Cure, treatment or absolute-safety claims a consumer product may not make in the market."""
    return _scan("health_claim", listing, ctx)


def green_claim(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Generic or offset-based environmental claims (banned in the EU from 27 September 2026)."""
    return _scan("green_claim", listing, ctx)


def promotion_calendar(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Heavy-promotion wording while a sensitive period (Ramadan) is running or starts within the pack's lead time."""
    pack = ctx.culture
    if pack.promotion_pattern is None or not pack.sensitive_events:
        return []
    horizon = ctx.on + timedelta(days=pack.promotion_lead_days)
    events = [e for e in ctx.events if e.id in pack.sensitive_events and e.starts_on <= horizon and e.ends_on >= ctx.on]
    if not events:
        return []
    found: list[Finding] = []
    for field in listing.fields:
        match = pack.promotion_pattern.search(field.text)
        if match is None:
            continue
        for event in events:
            lang = "zh" if ctx.locale.lower().startswith("zh") else "en"
            note = event.promotion_note.model_dump() if event.promotion_note is not None else None
            found.append(finding(ctx, "promotion_calendar", field.name, reference=event.reference or
                                 pack.promotion_reference, note=note, term=match.group(0).strip(),
                                 event=getattr(event.name, lang), starts_on=event.starts_on.isoformat(),
                                 ends_on=event.ends_on.isoformat()))
    return found


CHECKS = (taboo_term, unlucky_number, colour_symbolism, health_claim, green_claim, promotion_calendar)
