"""Pure pieces behind the pricing API: QuoteIn == CSV row parsing, batch input checks, inline batch == single path,
the latest-FX view sharing loaded data."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from xborder import pricing
from xborder.kernel import DomainError
from xborder.pricing import EcbReferenceRates, PricingData, QuoteIn

ROW = {"origin": "cn", "dest": "de", "hs": "610910", "value": "200", "currency": "eur", "shipping": "20",
       "insurance": "0", "date": "2025-03-01", "incoterm": "ddp", "channel": "Courier", "ioss": "1",
       "registrations": "uk_vat"}


@pytest.fixture(scope="module")
def data() -> PricingData:
    return PricingData(fx=EcbReferenceRates())


def test_quote_in_builds_the_same_request_as_a_csv_row() -> None:
    body = QuoteIn.model_validate({**ROW, "ioss": True, "registrations": ["uk_vat"]})
    assert body.to_request(today=date(2026, 1, 1)) == pricing.parse_quote_row(ROW, row_number=2)
    assert pricing.request_to_quote_in(body.to_request(today=date(2026, 1, 1))).to_request(
        today=date(2030, 1, 1)) == body.to_request(today=date(2026, 1, 1))
    assert QuoteIn.model_validate({k: v for k, v in ROW.items() if k != "date"}).to_request(
        today=date(2026, 1, 1)).on == date(2026, 1, 1)
    with pytest.raises(DomainError) as caught:
        QuoteIn.model_validate({**ROW, "currency": "ZZZ"}).to_request(today=date(2026, 1, 1))
    assert "ZZZ" in caught.value.message


def test_batch_input_checks_shape_and_counts_rows() -> None:
    csv = ("origin,dest,hs,value,currency,date\n" + "CN,DE,610910,10,EUR,2025-03-01\n" * 3 + "\n").encode()
    assert pricing.read_batch_input(csv, fmt="csv").rows == 3
    with pytest.raises(DomainError) as caught:
        pricing.read_batch_input(b"origin,colour\nCN,red\n", fmt="csv")
    assert {d.field for d in caught.value.details} >= {"colour", "dest", "hs", "value", "currency", "date"}
    wrapped = pricing.read_batch_input(json.dumps({"rows": [ROW, ROW]}).encode(), fmt="json")
    assert wrapped.rows == 2 and json.loads(wrapped.content) == [ROW, ROW]
    for bad in (b"{", b'{"rows": 3}', b"[1, 2]"):
        with pytest.raises(DomainError):
            pricing.read_batch_input(bad, fmt="json")


def test_inline_batch_equals_the_single_path_and_figures_path(data: PricingData) -> None:
    rows = [ROW, {**ROW, "dest": "SG", "hs": "220300"}, {**ROW, "value": "abc"},
            {**ROW, "dest": "GB", "currency": "GBP"},
            {**ROW, "dest": "US", "currency": "USD", "value": "900", "date": "2025-06-02", "ioss": ""}]
    batch = pricing.BatchInput("json", json.dumps(rows).encode(), len(rows))
    parsed = pricing.parse_batch(batch, today=date(2026, 1, 1))
    explained = pricing.quote_rows(data, parsed, explain=True)
    figures = pricing.quote_rows(data, parsed, explain=False)
    for (_, request), one, two in zip(parsed, explained, figures, strict=True):
        if isinstance(request, DomainError):
            assert one["error"]["code"] == two["error"]["code"] == request.code
            continue
        try:
            single = pricing.landed_cost_to_dict(pricing.quote_landed_cost(data, request=request))
        except DomainError as exc:
            assert one["error"]["code"] == two["error"]["code"] == exc.code
            continue
        assert one["result"] == single
        assert two["figures"] == {k: single[k] for k in pricing.FIGURE_COLUMNS}
    assert [r["row"] for r in explained] == [1, 2, 3, 4, 5]
    assert explained[2]["error"]["errors"][0]["row"] == 3


def test_batch_job_writes_the_same_figures(data: PricingData) -> None:
    csv = (b"origin,dest,hs,value,currency,shipping,date,incoterm\n"
           b"CN,DE,610910,200,EUR,20,2025-03-01,DDP\nCN,SG,220300,200,EUR,20,2025-03-01,DDP\n")
    progress: list[tuple[int, int]] = []
    out = io.BytesIO()
    summary = pricing.run_quote_batch(data, rows=pricing.parse_batch_csv(csv), out=out,
                                      progress=lambda done, total: progress.append((done, total)))
    assert summary["rows"] == 2 and summary["failed"] == 1 and progress[-1] == (2, 2)
    assert not out.closed  # the caller's stream stays usable
    lines = out.getvalue().decode("utf-8").splitlines()
    assert lines[1].startswith("2,EUR,220.00,26.40,46.82,0.00,73.22,293.22,,false,0.00,73.22,true")
    assert lines[2].startswith("3,") and "pricing.no_tariff_data" in lines[2]


def test_latest_fx_view_shares_loaded_data(data: PricingData) -> None:
    latest = data.with_latest_fx()
    assert latest.allow_latest_fx and latest.with_latest_fx() is latest and data.with_latest_fx() is latest
    data.schedule("eu")
    assert "eu" in latest._schedules
    assert data.fx_data_until() is not None
