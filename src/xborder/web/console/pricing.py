"""Pricing pages: the landed-cost calculator (every line explained), saved quotes with replay and a diff against
today's data, and the price matrix of SKUs x markets (heat map of landed cost as % of price, margin warnings).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import FormData, QueryParams

from xborder import pricing
from xborder.kernel import DomainError, Money
from xborder.pricing import QuoteIn
from xborder.web.console.context import SignedInUi, Ui
from xborder.web.deps import ConsoleForm, ConsoleFormPrincipal, DbSession, commit_in_route, require_writer

__all__ = ["router"]

router = APIRouter()
JOURNEY_MARKETS = ("DE", "FR", "GB", "JP", "SA", "BR")
_QUOTE_FIELDS = ("origin", "dest", "hs", "value", "currency", "shipping", "insurance", "quantity", "weight_kg",
                 "date", "incoterm", "channel", "buyer", "seller_currency", "subdivision")
_FLAGS = ("ioss", "fx_latest")
# Short explanations of the engine's error codes, shown above its own message (which names the row/field/rule).
REASONS = {
    "pricing.no_tariff_data": "No sourced duty rate for this HS code in this market: xborder never assumes 0 %.",
    "pricing.variant_incomplete": "The SKU lacks data the quote needs (HS code, origin or cost).",
    "pricing.fx_rate_missing": "No exchange rate for that date: run `xborder fx update`, or allow the latest rate.",
    "pricing.missing_quantity": "A specific duty needs a quantity (weight or units) the SKU does not give.",
    "pricing.date_outside_data": "The date is outside the data xborder holds.",
    "pricing.unsupported_rate": "The tariff states this rate in words xborder cannot compute.",
    "pricing.invalid_input": "The input was rejected.",
    "markets.fact_not_found": "A market fact (VAT rate, threshold...) is not known for that date.",
    "markets.unknown_market": "xborder has no profile for this market.",
}


def _form_values(source: QueryParams | FormData) -> dict[str, str]:
    values = {name: str(source.get(name) or "").strip() for name in _QUOTE_FIELDS}
    values["registrations"] = ",".join(str(v) for v in source.getlist("registrations") if str(v).strip())
    for flag in _FLAGS:
        values[flag] = "1" if str(source.get(flag) or "").lower() in ("1", "true", "on", "yes") else ""
    return values


def _quote_in(values: dict[str, str]) -> tuple[QuoteIn | None, dict[str, str]]:
    """The form as a QuoteIn, or the errors by field (pydantic's messages name the constraint)."""
    raw: dict[str, Any] = {k: v for k, v in values.items() if v and k not in (*_FLAGS, "registrations")}
    raw["registrations"] = [r.strip() for r in values.get("registrations", "").split(",") if r.strip()]
    for flag in _FLAGS:
        raw[flag] = bool(values.get(flag))
    try:
        return QuoteIn.model_validate(raw), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err.get("loc") else "form"
            errors.setdefault(name, str(err.get("msg", "invalid")))
        return None, errors


def _explain(ui: Ui, error: DomainError) -> dict[str, Any]:
    reason = REASONS.get(error.code)
    return {"code": error.code, "message": error.message, "reason": ui._(reason) if reason else None,
            "details": [d.message for d in error.details[:6] if d.message != error.message]}


def _quote_context(ui: Ui, values: dict[str, str]) -> dict[str, Any]:
    """Run the calculator when the form was submitted: the result, or field errors, or the engine's error."""
    submitted = any(values.get(name) for name in ("dest", "hs", "value"))  # origin and currency have defaults
    context: dict[str, Any] = {"values": values, "errors": {}, "result": None, "problem": None,
                               "submitted": submitted}
    if not context["submitted"]:
        return context
    body, errors = _quote_in(values)
    if body is None:
        context["errors"] = errors
        return context
    data = ui.container.pricing_data
    try:
        context["result"] = pricing.quote_landed_cost(data.with_latest_fx() if body.fx_latest else data,
                                                      request=body.to_request(today=ui.today()))
    except DomainError as exc:
        context["problem"] = _explain(ui, exc)
    return context


_DEFAULTS = {"origin": "CN", "currency": "EUR", "incoterm": "DDP", "channel": "courier", "buyer": "B2C",
             "quantity": "1", "fx_latest": "1"}


@router.get("/pricing")
def calculator(ui: SignedInUi, request: Request) -> Response:
    values = _form_values(request.query_params)
    if not any(values.get(k) for k in ("origin", "dest", "hs", "value")):
        values = {**values, **_DEFAULTS, "date": ui.today().isoformat()}
    context = _quote_context(ui, values)
    return ui.render("pricing/calculator.html", fragment="pricing/_quote_fragment.html", nav="pricing",
                     title=ui._("Landed cost calculator"), **context)


@router.post("/pricing/quotes")
def save_quote(form: ConsoleForm, request: Request, ui: SignedInUi, principal: ConsoleFormPrincipal,
               session: DbSession) -> Response:
    require_writer(principal)
    values = _form_values(form)
    context = _quote_context(ui, values)
    body, _ = _quote_in(values)
    if body is None or context["result"] is None:
        return ui.render("pricing/calculator.html", fragment="pricing/_quote_fragment.html", nav="pricing",
                         title=ui._("Landed cost calculator"), status_code=422, **context)
    label = str(form.get("label") or "").strip()[:200] or None
    data = ui.container.pricing_data
    view = pricing.save_quote(session, organization_id=principal.organization_id,
                              data=data.with_latest_fx() if body.fx_latest else data,
                              request=body.to_request(today=ui.today()), label=label)
    commit_in_route(session)
    return ui.redirect(f"/pricing/quotes/{view.id}")


@router.get("/pricing/quotes")
def saved_quotes(ui: SignedInUi, session: DbSession, cursor: str | None = None) -> Response:
    assert ui.principal is not None
    page = pricing.list_saved_quote_page(session, organization_id=ui.principal.organization_id, cursor=cursor,
                                         limit=50)
    return ui.render("pricing/quotes.html", fragment="pricing/_quotes_fragment.html", nav="pricing",
                     title=ui._("Saved quotes"), page=page)


@router.get("/pricing/quotes/{quote_id}")
def saved_quote(ui: SignedInUi, session: DbSession, quote_id: str) -> Response:
    assert ui.principal is not None
    view = pricing.get_saved_quote(session, organization_id=ui.principal.organization_id, quote_id=quote_id)
    return ui.render("pricing/quote_detail.html", fragment="pricing/_quote_detail_fragment.html", nav="pricing",
                     title=view.label or ui._("Saved quote"), view=view, requote_url=_calculator_url(view.request))


def _calculator_url(request: pricing.QuoteRequest) -> str:
    """The calculator pre-filled with a saved request (today's data, same inputs)."""
    fields = pricing.request_to_quote_in(request).model_dump(mode="json", by_alias=True, exclude={"qty", "fx_latest"})
    fields["registrations"] = ",".join(fields["registrations"])
    return "/pricing?" + urlencode({k: ("1" if v is True else v) for k, v in fields.items()
                                    if v not in (None, False, "", "0")})


@router.get("/pricing/quotes/{quote_id}/diff")
def quote_diff(ui: SignedInUi, session: DbSession, quote_id: str, on: str | None = None,
               fx_latest: str | None = None) -> Response:
    assert ui.principal is not None
    requote_on = _date_or_none(on)
    data = ui.container.pricing_data
    latest = (fx_latest or "").lower() in ("1", "true", "on")
    view = pricing.get_saved_quote(session, organization_id=ui.principal.organization_id, quote_id=quote_id)
    diff = pricing.diff_saved_quote(session, organization_id=ui.principal.organization_id, quote_id=quote_id,
                                    data=data.with_latest_fx() if latest else data, on=requote_on)
    return ui.render("pricing/diff.html", fragment="pricing/_diff_fragment.html", nav="pricing",
                     title=ui._("What changes today"), view=view, diff=diff, on=on or "", fx_latest=latest,
                     problem=_explain(ui, diff.error) if diff.error is not None else None)


def _date_or_none(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _percent(text: str | None, default: str) -> Decimal:
    try:
        value = Decimal(text or default)
    except InvalidOperation:
        value = Decimal(default)
    return value if Decimal(0) <= value < Decimal(100) else Decimal(default)


def _heat_class(share: Decimal | None) -> str:
    """A CSS bucket for the landed share (CSP forbids inline colours): 0 up to 10 %, ... 5 at 50 % and more."""
    if share is None:
        return "heat-none"
    return f"heat-{min(5, int(share // 10))}"


@router.get("/pricing/matrix")
def matrix(ui: SignedInUi, session: DbSession, request: Request, animation: int = 1) -> Response:
    assert ui.principal is not None
    params = request.query_params
    markets = [m.strip().upper() for m in str(params.get("markets") or ",".join(JOURNEY_MARKETS)).split(",")
               if len(m.strip()) == 2 and m.strip().isalpha()][:20] or list(JOURNEY_MARKETS)
    on = _date_or_none(params.get("on")) or ui.today()
    target = _percent(params.get("target_margin"), "30")
    floor = min(_percent(params.get("floor_margin"), "15"), target)
    submitted = "markets" in params
    fx_latest = (params.get("fx_latest") or "").lower() in ("1", "on", "true") if submitted else True
    shipping = None
    try:
        if params.get("shipping"):
            shipping = Money.of(params["shipping"], str(params.get("shipping_currency") or "USD"))
    except DomainError:
        shipping = None
    data = ui.container.pricing_data
    result = pricing.price_matrix(session, organization_id=ui.principal.organization_id, markets=markets, on=on,
                                  data=data.with_latest_fx() if fx_latest else data, shipping=shipping,
                                  target_margin=target, floor_margin=floor)
    rows: dict[str, list[Any]] = {}
    for cell in result.cells:
        rows.setdefault(cell.sku, []).append(cell)
    counts = {status: sum(1 for c in result.cells if c.status == status) for status in ("ok", "amber", "red", "error")}
    return ui.render("pricing/matrix.html", fragment="pricing/_matrix_fragment.html", nav="pricing",
                     title=ui._("Price matrix"), matrix=result, rows=rows, counts=counts, markets=markets,
                     on=on, target=target, floor=floor, fx_latest=fx_latest, fx_until=data.fx_data_until(),
                     shipping=params.get("shipping") or "", shipping_currency=params.get("shipping_currency") or "USD",
                     heat_class=_heat_class, reasons={k: ui._(v) for k, v in REASONS.items()},
                     animation=bool(animation), needs_chart=True)


def _coverage_class(covered: int, headings: int) -> str:
    """A CSS bucket for the share of headings covered (inverse of the landed-cost heat: more is greener)."""
    if not headings:
        return "heat-none"
    return f"cover-{min(5, covered * 5 // headings)}"


@router.get("/pricing/coverage")
def coverage(ui: SignedInUi, on: str | None = None, animation: int = 1) -> Response:
    """Which consumer-goods headings each market's duty data covers on a date (the gaps answer "no tariff data")."""
    as_of = _date_or_none(on) or ui.today()
    report = pricing.tariff_coverage(as_of, overlay_dir=ui.container.pricing_data.overlay_dir)
    lines = {m.market: {level: sum(c.certainty.get(level, 0) for c in m.chapters)
                        for level in ("confirmed", "uncertain", "disputed")} for m in report}
    return ui.render("pricing/coverage.html", fragment="pricing/_coverage_fragment.html", nav="pricing",
                     title=ui._("Duty data coverage"), report=report, chapters=pricing.CONSUMER_CHAPTERS,
                     on=as_of, lines=lines, cover_class=_coverage_class, animation=bool(animation),
                     needs_chart=True)
