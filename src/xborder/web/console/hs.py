"""HS code search page: ranked headings for a code prefix, English words or Chinese text."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from xborder import reference
from xborder.kernel import ValidationFailed
from xborder.web.console.context import SignedInUi

__all__ = ["router"]

router = APIRouter()
RESULT_LIMIT = 25


@router.get("/hs")
def hs_search_page(ui: SignedInUi, q: str = "") -> Response:
    query = q.strip()[:200]
    hits: list[reference.HsHit] = []
    error = None
    if query:
        try:
            hits = reference.hs_search(query, limit=RESULT_LIMIT)
        except ValidationFailed as exc:
            error = exc.message
    return ui.render("hs/search.html", fragment="hs/_results_fragment.html", nav="hs", title=ui._("HS codes"),
                     q=query, hits=hits, error=error)
