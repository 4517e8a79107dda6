"""Pydantic in/out shapes of pricing for the API and console: a quote request with the CLI contract's field names,
the explained quote (the CLI `--json` object), saved quotes, diffs and the price matrix.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from xborder.kernel import DomainError, ErrorDetail, Money
from xborder.pricing.coverage import MarketCoverage
from xborder.pricing.errors import PricingInputInvalid
from xborder.pricing.matrix import MatrixCell, PriceMatrix
from xborder.pricing.model import QuoteRequest
from xborder.pricing.saved_quotes import QuoteDiff, SavedQuoteSummary, SavedQuoteView
from xborder.pricing.serialize import landed_cost_to_dict

__all__ = [
    "ChapterCoverageOut",
    "FxOut",
    "GapOut",
    "LineChangeOut",
    "MarketCoverageOut",
    "MatrixCellOut",
    "PriceMatrixOut",
    "QuoteDeMinimisOut",
    "QuoteDiffOut",
    "QuoteIn",
    "QuoteLineOut",
    "QuoteOut",
    "SavedQuoteOut",
    "SavedQuoteSummaryOut",
    "request_to_quote_in",
]


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else format(amount, "f")


class QuoteIn(BaseModel):
    """One quote: the fields of `xborder quote` (and of a batch CSV row). Amounts are decimals in `currency`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)

    origin: str = Field(min_length=2, max_length=2, description="ISO country the goods ship from", examples=["CN"])
    dest: str = Field(min_length=2, max_length=2, description="destination market", examples=["DE"])
    hs: str = Field(min_length=6, max_length=14, description="HS / national tariff code, 6-10 digits",
                    examples=["610910"])
    value: Decimal = Field(ge=0, description="goods value", examples=["200"])
    currency: str = Field(min_length=3, max_length=3, description="ISO 4217 currency of value, shipping, insurance",
                          examples=["EUR"])
    shipping: Decimal = Field(Decimal(0), ge=0, description="transport cost to the destination")
    insurance: Decimal = Field(Decimal(0), ge=0)
    quantity: int = Field(1, ge=1, le=1_000_000)
    weight_kg: Decimal | None = Field(None, ge=0, description="net weight (for specific duties per kg)")
    on: date | None = Field(None, alias="date", description="date of import; default today")
    incoterm: Literal["DAP", "DDP"] = Field("DAP", description="DAP: the buyer pays import charges; DDP: the seller")
    channel: Literal["postal", "courier", "freight"] = "courier"
    buyer: Literal["B2C", "B2B"] = "B2C"
    ioss: bool = Field(False, description="the seller is registered for EU IOSS")
    registrations: list[str] = Field(default_factory=list, max_length=10,
                                     description="other schemes: uk_vat, au_gst, remessa_conforme, us_postal_specific")
    seller_currency: str | None = Field(None, min_length=3, max_length=3,
                                        description="also give the landed cost in this currency")
    subdivision: str | None = Field(None, max_length=3, description="state where the tax depends on it (BR: SP, BA)")
    qty: dict[str, Decimal] = Field(default_factory=dict, max_length=5,
                                    description="extra quantities for specific duties, e.g. {\"liter\": 2}")
    fx_latest: bool = Field(False, description="beyond the FX data, use the latest rate (its date is in `fx`); "
                                               "batches take the `fx_latest` query parameter instead")

    @field_validator("origin", "dest", "currency", "seller_currency", "incoterm", "buyer", "subdivision",
                     mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("registrations", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:  # the CSV form: "uk_vat;au_gst"
        if isinstance(value, str):
            return [item.strip() for item in value.replace(",", ";").split(";") if item.strip()]
        return value

    @field_validator("channel", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("seller_currency", "subdivision", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    def to_request(self, *, today: date) -> QuoteRequest:
        """The engine's request; Money checks the currency (unknown code: an error naming `currency`)."""
        try:
            cur = self.currency
            return QuoteRequest(
                origin=self.origin, destination=self.dest, hs_code=self.hs, goods_value=Money(self.value, cur),
                shipping=Money(self.shipping, cur), insurance=Money(self.insurance, cur), quantity=self.quantity,
                weight_kg=self.weight_kg, on=self.on or today, incoterm=self.incoterm, channel=self.channel,
                buyer=self.buyer,
                registrations=frozenset({*(r.strip().lower() for r in self.registrations if r.strip()),
                                         *(["ioss"] if self.ioss else [])}),
                seller_currency=self.seller_currency, extra_quantities=tuple(sorted(self.qty.items())),
                subdivision=self.subdivision)
        except DomainError as exc:
            raise PricingInputInvalid(exc.message, details=exc.details or [ErrorDetail(exc.message,
                                                                                     field="currency")]) from None


def request_to_quote_in(request: QuoteRequest) -> QuoteIn:
    """The API shape of an engine request (for saved quotes and to pre-fill the console form)."""
    return QuoteIn(
        origin=request.origin, dest=request.destination, hs=request.hs_code, value=request.goods_value.amount,
        currency=request.goods_value.currency,
        shipping=request.shipping.amount if request.shipping is not None else Decimal(0),
        insurance=request.insurance.amount if request.insurance is not None else Decimal(0),
        quantity=request.quantity, weight_kg=request.weight_kg, on=request.on, incoterm=request.incoterm,
        channel=request.channel, buyer=request.buyer, ioss="ioss" in request.registrations,
        registrations=sorted(r for r in request.registrations if r != "ioss"),
        seller_currency=request.seller_currency, subdivision=request.subdivision,
        qty=dict(request.extra_quantities))


# -- the explained quote (documentation of `landed_cost_to_dict`) ----------------------------------------------

class QuoteLineOut(BaseModel):
    name: str
    kind: Literal["duty", "tax", "fee"]
    rule: str = Field(description="stable id of the rule, schedule line or measure")
    base: str
    rate: str
    amount: str
    source: str = Field(description="URL of the law, schedule or publication")
    effective_from: date
    certainty: Literal["confirmed", "uncertain", "disputed", "unknown"]
    payer: Literal["buyer", "seller"]
    collected_at: Literal["border", "point_of_sale"]
    legal_basis: str | None = None
    note: str | None = None


class QuoteThresholdOut(BaseModel):
    amount: str
    currency: str
    basis: str


class QuoteDeMinimisOut(BaseModel):
    kind: Literal["duty", "tax"]
    applies: bool
    reason: str
    collection: str | None
    threshold: QuoteThresholdOut | None
    compared_value: str | None
    source: str
    effective_from: date


class GapOut(BaseModel):
    rule: str
    name: str
    message: str
    source: str
    effective_from: date | None


class FxOut(BaseModel):
    base: str
    quote: str
    rate: str
    rate_date: date
    source: str


class QuoteOut(BaseModel):
    """A landed-cost quote: amounts are decimal strings in the destination `currency`; every line explained."""

    quote_id: str | None = Field(None, description="set when the quote was saved (`save: true`)")
    currency: str
    customs_value: str
    valuation_basis: str
    duty: str
    import_vat: str = Field(description="VAT/GST/consumption tax, whatever the market calls it (import_tax_name)")
    import_tax_name: str
    other_taxes_and_fees: str
    total_taxes_and_duties: str
    goods_and_transport: str
    landed_cost: str
    landed_cost_seller_currency: str | None
    seller_currency: str | None
    de_minimis_applied: bool
    incoterm: str
    payable_by_buyer: str
    payable_by_seller: str
    complete: bool = Field(description="false when the data has gaps (unknown measures): figures are a lower bound")
    lines: list[QuoteLineOut]
    de_minimis: list[QuoteDeMinimisOut]
    gaps: list[GapOut]
    fx: list[FxOut]
    warnings: list[str]
    versions: list[str] = Field(description="schedule, measure and FX versions the quote used")


# -- saved quotes -------------------------------------------------------------------------------------------------

class SavedQuoteSummaryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    label: str | None
    created_at: datetime
    origin: str
    destination: str
    hs_code: str
    quoted_on: date
    currency: str
    landed_cost: str
    total_taxes_and_duties: str

    @classmethod
    def of(cls, item: SavedQuoteSummary) -> SavedQuoteSummaryOut:
        return cls(id=item.id, label=item.label, created_at=item.created_at, origin=item.origin,
                   destination=item.destination, hs_code=item.hs_code, quoted_on=item.quoted_on,
                   currency=item.currency, landed_cost=format(item.landed_cost, "f"),
                   total_taxes_and_duties=format(item.total_taxes_and_duties, "f"))


class SavedQuoteOut(BaseModel):
    id: str
    label: str | None
    created_at: datetime
    request: QuoteIn
    result: QuoteOut = Field(description="replayed from the saved snapshot: the figures as saved")
    versions: list[str]

    @classmethod
    def of(cls, view: SavedQuoteView) -> SavedQuoteOut:
        return cls(id=view.id, label=view.label, created_at=view.created_at, request=request_to_quote_in(view.request),
                   result=QuoteOut.model_validate({**landed_cost_to_dict(view.result), "quote_id": view.id}),
                   versions=list(view.versions))


class FigureChangeOut(BaseModel):
    figure: str
    saved: str
    today: str


class LineChangeOut(BaseModel):
    rule: str
    name: str
    saved: str | None = Field(description="null: the line is new today")
    today: str | None = Field(description="null: the line no longer applies")
    saved_rate: str | None
    today_rate: str | None


class ProblemOut(BaseModel):
    code: str
    message: str


class QuoteDiffOut(BaseModel):
    quote_id: str
    requoted_on: date
    changed: bool
    figures: list[FigureChangeOut]
    lines: list[LineChangeOut]
    versions_added: list[str]
    versions_removed: list[str]
    today: QuoteOut | None = Field(description="the re-quote on today's data; null when today's data cannot quote it")
    error: ProblemOut | None = None

    @classmethod
    def of(cls, diff: QuoteDiff) -> QuoteDiffOut:
        return cls(
            quote_id=diff.quote_id, requoted_on=diff.requoted_on, changed=diff.changed,
            figures=[FigureChangeOut(figure=name, saved=format(old.amount, "f"), today=format(new.amount, "f"))
                     for name, old, new in diff.figures],
            lines=[LineChangeOut(rule=c.rule, name=c.name, saved=_money(c.saved.amount if c.saved else None),
                                 today=_money(c.today.amount if c.today else None), saved_rate=c.saved_rate,
                                 today_rate=c.today_rate) for c in diff.lines],
            versions_added=list(diff.versions_added), versions_removed=list(diff.versions_removed),
            today=QuoteOut.model_validate(landed_cost_to_dict(diff.today)) if diff.today is not None else None,
            error=ProblemOut(code=diff.error.code, message=diff.error.message) if diff.error is not None else None)


# -- price matrix -------------------------------------------------------------------------------------------------

class MatrixCellOut(BaseModel):
    variant_id: str
    sku: str
    market: str
    currency: str | None
    landed_cost: str | None
    duties_taxes_fees: str | None
    proposed_price: str | None = Field(description="consumer price with the market's ending (tax-inclusive where "
                                                   "the market requires)")
    margin: str | None = Field(description="percent of the net price")
    landed_share_of_price: str | None = Field(description="transport + duties + border fees, percent of net price")
    status: Literal["ok", "amber", "red", "error"] = Field(
        description="red: transport + duties + border fees reach the profit, or the margin left at the median net "
                    "price of the SKU's other markets is under the floor; amber: they take half the profit")
    complete: bool
    error_code: str | None
    message: str | None = Field(description="why the cell has no figures, or what is uncertain")
    peer_price_margin: str | None = Field(
        default=None, description="margin (percent) left in this market at the median net price (VAT excluded) of "
                                  "the SKU's other priced markets, when there are at least two")

    @classmethod
    def of(cls, cell: MatrixCell) -> MatrixCellOut:
        return cls(variant_id=cell.variant_id, sku=cell.sku, market=cell.market, currency=cell.currency,
                   landed_cost=_money(cell.landed_cost.amount if cell.landed_cost else None),
                   duties_taxes_fees=_money(cell.duties_taxes_fees.amount if cell.duties_taxes_fees else None),
                   proposed_price=_money(cell.proposed_price.amount if cell.proposed_price else None),
                   margin=_money(cell.margin), landed_share_of_price=_money(cell.landed_share_of_price),
                   status=cell.status, complete=cell.complete, error_code=cell.error_code, message=cell.message,
                   peer_price_margin=_money(cell.peer_price_margin))


class PriceMatrixOut(BaseModel):
    on: date
    markets: list[str]
    variants: int
    target_margin: str
    cells: list[MatrixCellOut]

    @classmethod
    def of(cls, matrix: PriceMatrix, *, target_margin: Decimal) -> PriceMatrixOut:
        return cls(on=matrix.on, markets=list(matrix.markets), variants=matrix.variants,
                   target_margin=format(target_margin, "f"), cells=[MatrixCellOut.of(c) for c in matrix.cells])


class ChapterCoverageOut(BaseModel):
    chapter: str
    headings: int = Field(description="HS 2022 headings in the chapter")
    covered: int = Field(description="headings every subheading of which has a sourced rate")
    partial: int = Field(description="headings with sourced rates for some subheadings only")
    lines_by_certainty: dict[str, int]


class MarketCoverageOut(BaseModel):
    market: str
    schedule: str | None
    version: str | None = Field(description="schedule version in force on the date; null with `problem` when none")
    problem: str | None
    headings: int
    covered: int
    regimes: list[str] = Field(description="duty measures that replace the base rate for some consignments")
    chapters: list[ChapterCoverageOut]

    @classmethod
    def of(cls, m: MarketCoverage) -> MarketCoverageOut:
        return cls(market=m.market, schedule=m.schedule, version=m.version, problem=m.problem, headings=m.headings,
                   covered=m.covered, regimes=list(m.regimes),
                   chapters=[ChapterCoverageOut(chapter=c.chapter, headings=c.headings, covered=c.covered,
                                                partial=c.partial, lines_by_certainty=dict(c.certainty))
                             for c in m.chapters])
