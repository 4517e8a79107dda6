"""HS API: search the HS 2022 nomenclature by code or words (English, Chinese) and look up one code."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel

from xborder import reference
from xborder.reference import HsEntry, HsHit
from xborder.web.api._common import PROBLEM_RESPONSES
from xborder.web.deps import ApiPrincipal

router = APIRouter(prefix="/hs", tags=["hs"], responses=PROBLEM_RESPONSES)


class HsSearchOut(BaseModel):
    query: str
    items: list[HsHit]


class HsDetail(BaseModel):
    entry: HsEntry
    path: list[HsEntry]
    children: list[HsEntry]


@router.get("/search", response_model=HsSearchOut, summary="Ranked headings/subheadings for a code or words")
def search(principal: ApiPrincipal, q: str = Query(min_length=1, max_length=200),
           limit: int = Query(10, ge=1, le=100)) -> HsSearchOut:
    return HsSearchOut(query=q, items=reference.hs_search(q, limit=limit))


@router.get("/{code}", response_model=HsDetail, summary="One HS code with its path and children")
def lookup(code: str, principal: ApiPrincipal) -> HsDetail:
    path = reference.hs_path(code)
    return HsDetail(entry=path[-1], path=path[:-1], children=reference.hs_children(path[-1].code))
