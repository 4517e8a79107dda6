"""Markets API: the market list and one market's facts in force on a date, each fact with its source."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from xborder import markets
from xborder.markets import FactNotFound, MarketSnapshot, MarketSummary
from xborder.web.api._common import PROBLEM_RESPONSES
from xborder.web.deps import ApiPrincipal, ContainerDep

router = APIRouter(tags=["markets"], responses=PROBLEM_RESPONSES)


class SourceOut(BaseModel):
    title: str
    href: str


class FactOut(BaseModel):
    key: str
    value: Any
    valid_from: date
    valid_until: date | None
    checked_on: date
    certainty: str
    note: str | None
    source: SourceOut


class MarketDetail(BaseModel):
    code: str
    name_en: str
    name_zh: str
    on: date
    snapshot: MarketSnapshot
    facts: list[FactOut]


@router.get("/markets", response_model=list[MarketSummary], summary="All markets with their currency and languages")
def list_markets(principal: ApiPrincipal, on: date | None = Query(None, description="default: latest data")
                 ) -> list[MarketSummary]:
    return markets.list_markets(on=on)


@router.get("/markets/{cc}", response_model=MarketDetail, summary="One market's facts in force on a date, cited")
def get_market(cc: str, principal: ApiPrincipal, container: ContainerDep,
               on: date | None = Query(None, description="default: today")) -> MarketDetail:
    day = on or container.clock.today()
    item = markets.market(cc)
    facts = []
    for key in item.fact_keys():
        try:
            version = item.fact_on(key, day)
        except FactNotFound:  # the fact's data starts after `day`: absent, never invented
            continue
        facts.append(FactOut(key=key, value=version.value, valid_from=version.valid_from,
                             valid_until=version.valid_until, checked_on=version.checked_on,
                             certainty=version.certainty, note=version.note,
                             source=SourceOut(title=version.reference.title, href=version.reference.href)))
    return MarketDetail(code=item.code, name_en=item.name.en, name_zh=item.name.zh, on=day,
                        snapshot=item.on(day), facts=facts)
