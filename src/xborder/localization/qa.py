"""Run the QA checks: build a market context once (market facts, culture pack, channel rules, glossary, calendar),
then check any number of listings against it. Pure apart from reading packaged data; no database, no MT calls
unless a back-translator is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from xborder import markets
from xborder.kernel import Finding, Severity
from xborder.localization.channels import channel_rules
from xborder.localization.checks import ALL_CHECKS, CHANNEL_ONLY, DNT_AWARE, MARKET_INDEPENDENT
from xborder.localization.checks.base import (
    BackTranslate,
    Check,
    ListingText,
    PreparedListing,
    QaContext,
    message_catalog,
    prepare,
)
from xborder.localization.culture import culture_pack
from xborder.localization.termbase import Glossary

__all__ = ["QaResult", "build_qa_context", "check_codes", "qa_listing_file", "run_qa", "run_qa_batch", "run_qa_markets"]

_SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.FUNCTIONAL: 1, Severity.COSMETIC: 2}


@dataclass(frozen=True, slots=True)
class QaResult:
    sku: str
    language: str
    market: str
    findings: tuple[Finding, ...]

    @property
    def blocking(self) -> bool:
        """True when a critical finding should stop publication."""
        return any(f.severity is Severity.CRITICAL for f in self.findings)


def check_codes() -> list[str]:
    """Every stable finding code, sorted."""
    return sorted(check.__name__ for check in ALL_CHECKS)


@cache
def _calendar(market: str, year: int) -> tuple[markets.EventOccurrence, ...]:
    return tuple(markets.market(market).events(year, year + 1))


def build_qa_context(*, market: str, on: date, channel: str | None = None, glossary: Glossary | None = None,
                     locale: str = "en", back_translate: BackTranslate | None = None,
                     similarity_threshold: float = 60.0, disabled: frozenset[str] = frozenset()) -> QaContext:
    """Resolve everything the checks need about `market` on `on`.

    Raises:
        MarketNotFound: unknown market; NotFound: unknown channel; ValidationFailed: an unknown check in `disabled`.
    """
    handle = markets.market(market)
    snapshot = handle.on(on)
    unknown = sorted(set(disabled) - set(check_codes()))
    if unknown:
        from xborder.kernel import ErrorDetail, ValidationFailed

        raise ValidationFailed(f"unknown QA checks: {', '.join(unknown)}", details=[
            ErrorDetail(f"no check named {code!r}", field="disabled", code="localization.unknown_check")
            for code in unknown])
    return QaContext(
        market=snapshot.code,
        on=on,
        languages=snapshot.marketplace_languages,
        writing_direction=snapshot.writing_direction,
        measurement_system=snapshot.measurement_system,
        clothing_size_system=snapshot.clothing_size_system,
        shoe_size_system=snapshot.shoe_size_system,
        culture=culture_pack(snapshot.code, extends=handle.extends),
        channel=channel_rules(channel) if channel else None,
        glossary=(glossary or Glossary()).for_market(snapshot.code),
        events=_calendar(snapshot.code, on.year),
        locale=locale,
        back_translate=back_translate,
        similarity_threshold=similarity_threshold,
        disabled=frozenset(disabled),
    )


@cache
def _enabled(disabled: frozenset[str]) -> tuple[Check, ...]:
    return tuple(check for check in ALL_CHECKS if check.__name__ not in disabled)


def _sort_key(item: Finding) -> tuple[int, str, str]:
    return _SEVERITY_ORDER[item.severity], item.field or "", item.code


def _run(prepared: PreparedListing, ctx: QaContext, shared: dict[tuple[str, ...], list[Finding]]) -> QaResult:
    findings: list[Finding] = []
    channel = ctx.channel.code if ctx.channel is not None else ""
    dnt = "\x1f".join(ctx.glossary.protected_terms())
    for check in _enabled(ctx.disabled):
        name = check.__name__
        if name in MARKET_INDEPENDENT or name in CHANNEL_ONLY:
            key = (name, ctx.locale, channel if name in CHANNEL_ONLY else "", dnt if name in DNT_AWARE else "")
            if key not in shared:
                shared[key] = check(prepared, ctx)
            findings.extend(shared[key])
        else:
            findings.extend(check(prepared, ctx))
    findings.sort(key=_sort_key)
    return QaResult(prepared.listing.sku, prepared.listing.language, ctx.market, tuple(findings))


def run_qa(listing: ListingText, ctx: QaContext) -> QaResult:
    """All enabled checks on one listing; findings sorted by severity, then field, then code."""
    return _run(prepare(listing), ctx, {})


def run_qa_markets(listing: ListingText, contexts: list[QaContext]) -> list[QaResult]:
    """One listing against several markets: checks that do not depend on the market run once."""
    prepared = prepare(listing)
    shared: dict[tuple[str, ...], list[Finding]] = {}
    return [_run(prepared, ctx, shared) for ctx in contexts]


def run_qa_batch(listings: list[ListingText], ctx: QaContext) -> list[QaResult]:
    return [run_qa(listing, ctx) for listing in listings]


def qa_listing_file(*, content: bytes, market: str, on: date, channel: str | None = None, locale: str = "en",
                    glossary: Glossary | None = None, back_translate: BackTranslate | None = None) -> list[QaResult]:
    """The CLI contract: parse a listing CSV (whole file or nothing) and check every row for one market.

    Raises:
        ValidationFailed: bad CSV (each bad row and column named); MarketNotFound / NotFound: market or channel.
    """
    from xborder.localization.listing_csv import parse_listing_csv

    ctx = build_qa_context(market=market, on=on, channel=channel, glossary=glossary, locale=locale,
                           back_translate=back_translate)
    return run_qa_batch(parse_listing_csv(content), ctx)


message_catalog()  # validate and load the messages with the module, not in the first timed call
