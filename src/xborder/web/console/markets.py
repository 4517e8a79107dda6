"""Market pages: the list of markets and one market's facts in force (with sources), calendar and de minimis history."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from xborder import markets
from xborder.web.console.context import SignedInUi

__all__ = ["router"]

router = APIRouter()
UPCOMING_DAYS = 365
# Shown in their own sections below the facts table rather than as table rows.
_OWN_SECTIONS = frozenset({"calendar.events", "de_minimis.duty", "de_minimis.tax"})


@router.get("/markets")
def market_list(ui: SignedInUi) -> Response:
    items = markets.list_markets(on=ui.today())
    return ui.render("markets/list.html", fragment="markets/_list_fragment.html", nav="markets",
                     title=ui._("Markets"), markets=items)


@router.get("/markets/{code}")
def market_detail(ui: SignedInUi, code: str, on: date | None = None) -> Response:
    as_of = on or ui.today()
    market = markets.market(code)
    facts = [market.fact(key) for key in market.fact_keys()]
    until = as_of + timedelta(days=UPCOMING_DAYS)
    events = [e for e in market.events(as_of.year, until.year) if e.ends_on >= as_of and e.starts_on <= until]
    return ui.render(
        "markets/detail.html", fragment="markets/_detail_fragment.html", nav="markets",
        title=market.name.zh if ui.locale.tag == "zh-CN" else market.name.en,
        market=market, as_of=as_of, facts=[f for f in facts if f.key not in _OWN_SECTIONS],
        de_minimis=[market.fact("de_minimis.duty"), market.fact("de_minimis.tax")], events=events,
        upcoming_days=UPCOMING_DAYS,
    )
