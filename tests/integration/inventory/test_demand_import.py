"""Sales-history import stores per-period demand and reads back as forecast input."""

from __future__ import annotations

from sqlalchemy.orm import Session

from xborder.inventory.demand import demand_history, import_sales_history

LINES = b"""order_id,sku,quantity,ordered_at,market
A1,EAR-01,5,2026-03-02,DE
A2,EAR-01,3,2026-03-04,DE
C3,EAR-01,-1,2026-03-05,DE
A4,EAR-01,2,2026-03-10,FR
A5,GHOST,2,2026-03-10,FR
"""


def test_import_and_read_back(session: Session, org: str) -> None:
    report = import_sales_history(session, organization_id=org, content=LINES, filename="orders.csv", freq="W")
    session.commit()
    assert report.demand_rows == 3 and report.markets == ("DE", "FR") and report.unknown_skus == ("GHOST",)
    history = demand_history(session, organization_id=org, freq="W")
    assert history[history["unique_id"] == "EAR-01@DE"]["y"].iloc[0] == 7
    again = import_sales_history(session, organization_id=org, content=LINES, filename="orders.csv", freq="W")
    assert again.demand_rows == 3  # a re-import replaces, it does not double
    assert len(demand_history(session, organization_id=org, freq="W", market="fr")) == 2
    # EAR-01@DE sold in the week of 2 March only: it still runs, with zero, to the last imported week (9 March)
    de = history[history["unique_id"] == "EAR-01@DE"]
    assert list(de["y"]) == [7, 0] and de["ds"].max() == history["ds"].max()
