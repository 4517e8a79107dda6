"""Dashboard: catalog counts, a chart of variants by HS chapter, and the markets xborder knows."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from xborder import catalog, markets
from xborder.web.console.context import SignedInUi
from xborder.web.deps import DbSession

__all__ = ["router"]

router = APIRouter()


@router.get("/")
def dashboard(ui: SignedInUi, session: DbSession, animation: int = 1) -> Response:
    assert ui.principal is not None
    stats = catalog.catalog_stats(session, organization_id=ui.principal.organization_id)
    return ui.render("dashboard/index.html", fragment="dashboard/_stats_fragment.html", nav="dashboard",
                     title=ui._("Dashboard"), stats=stats, markets=markets.list_markets(on=ui.today()),
                     animation=bool(animation), needs_chart=True)
