"""Price matrix over a real imported catalog: figures per variant x market, explicit error cells, tenancy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from xborder import catalog
from xborder.identity.models import Organization
from xborder.kernel import Money
from xborder.pricing import EcbReferenceRates, PricingData
from xborder.pricing.matrix import price_matrix
from xborder.settings import ImportLimits

CSV = """product_id,sku,title,hs_code,origin_country,cost_price,cost_currency
P1,TEE-01,Cotton T-shirt,610910,CN,4.50,USD
P2,TOY-01,Building blocks,950300,CN,6.00,USD
P3,MUG-01,Mug,,CN,2.00,USD
P4,BEER-01,Beer,220300,CN,1.00,USD
"""


def test_matrix_cells_have_figures_or_name_the_problem(session: Session) -> None:
    org = Organization(name="Acme", slug="acme", kind="seller")
    other = Organization(name="Rival", slug="rival", kind="seller")
    session.add_all([org, other])
    session.commit()
    report = catalog.import_products(session, organization_id=org.id, filename="c.csv", content=CSV.encode(),
                                     limits=ImportLimits())
    session.commit()
    assert report.ok, report
    matrix = price_matrix(session, organization_id=org.id, markets=["us", "JP", "DE", "SG"], on=date(2026, 3, 5),
                          data=PricingData(fx=EcbReferenceRates()), shipping=Money.of("3", "USD"))
    assert matrix.variants == 4 and len(matrix.cells) == 16
    cells = {(c.sku, c.market): c for c in matrix.cells}
    us_tee = cells[("TEE-01", "US")]
    assert us_tee.status in ("ok", "amber", "red") and us_tee.proposed_price is not None
    assert us_tee.proposed_price.amount % 1 == Decimal("0.99") and us_tee.margin is not None and us_tee.margin >= 15
    assert cells[("TOY-01", "JP")].proposed_price is not None  # toys are free in Japan (FAQ 1204)
    assert cells[("TEE-01", "JP")].error_code == "pricing.no_tariff_data"  # heading not sourced: never 0 %
    assert cells[("BEER-01", "SG")].error_code == "pricing.no_tariff_data"  # dutiable: not shipped
    assert cells[("MUG-01", "DE")].error_code == "pricing.variant_incomplete"
    assert price_matrix(session, organization_id=other.id, markets=["US"], on=date(2026, 3, 5),
                        data=PricingData(fx=EcbReferenceRates())).cells == ()
