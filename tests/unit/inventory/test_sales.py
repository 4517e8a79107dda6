"""Order-line aggregation: Online Retail layout, cancellations netted, returns apart, unknown markets explicit."""

from __future__ import annotations

import pytest

from xborder.inventory.sales import aggregate_order_lines, read_order_lines
from xborder.kernel import ValidationFailed

ONLINE_RETAIL = b"""InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom
536366,85123A,HEART,4,2010-12-03 09:00:00,2.55,17850,United Kingdom
C536379,85123A,HEART,-2,2010-12-04 09:41:00,2.55,14527,United Kingdom
536400,85123A,HEART,-1,2010-12-07 10:00:00,2.55,14527,United Kingdom
536401,22633,HAND WARMER,12,2010-12-07 10:00:00,1.85,12583,EIRE
536402,22633,HAND WARMER,3,2010-12-07 10:00:00,1.85,12583,Unspecified
"""


def test_online_retail_layout_weekly() -> None:
    lines = read_order_lines(ONLINE_RETAIL, "online_retail.csv")
    agg = aggregate_order_lines(lines, freq="W", unknown_market="skip")
    rows = {(r.sku, r.market, str(r.ds.date())): (r.y, r.returned, r.cancelled) for r in agg.demand.itertuples()}
    assert rows[("85123A", "GB", "2010-11-29")] == (8, 0, 2)  # 6 + 4 sold, 2 cancelled
    assert rows[("85123A", "GB", "2010-12-06")] == (0, 1, 0)  # a return is not negative demand
    assert rows[("22633", "IE", "2010-12-06")] == (12, 0, 0)
    assert agg.skipped_unknown_market == {"Unspecified": 1}


def test_unknown_market_and_bad_rows_name_the_row() -> None:
    lines = read_order_lines(ONLINE_RETAIL, "x.csv")
    with pytest.raises(ValidationFailed) as err:
        aggregate_order_lines(lines, freq="D")
    assert err.value.details[0].row == 6
    broken = ONLINE_RETAIL.replace(b",4,2010-12-03", b",four,2010-12-03")
    with pytest.raises(ValidationFailed) as err:
        aggregate_order_lines(read_order_lines(broken, "x.csv"), freq="D", unknown_market="skip")
    assert err.value.details[0].row == 2
    with pytest.raises(ValidationFailed, match="lack column"):
        read_order_lines(b"sku,quantity\nA,1\n", "x.csv")
