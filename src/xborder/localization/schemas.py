"""Pydantic shapes of the studio's API: what callers send (listings, transitions, generation, bulk jobs, TM
lookups) and the QA answer. Reads that already are frozen dataclasses (ListingView, TmMatch...) are returned as is."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from xborder.localization.qa import QaResult

__all__ = ["BulkApproveIn", "BulkTranslateIn", "FindingOut", "GenerateIn", "ListingCreate", "ListingPatch",
           "QaOut", "SegmentIn", "TmLookupIn", "TransitionIn"]

_Text = Field(default=None, max_length=20_000)
_Items = Field(default=None, max_length=200)


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=2_000)
    description: str | None = _Text
    bullets: list[str] | None = _Items
    keywords: list[str] | None = _Items
    meta_title: str | None = Field(default=None, max_length=300)
    meta_description: str | None = Field(default=None, max_length=500)

    def changes(self) -> dict[str, object]:
        """Only the fields the caller sent."""
        return self.model_dump(exclude_unset=True, exclude={"product_id", "market", "language", "version", "note"})


class ListingCreate(_Fields):
    product_id: str = Field(min_length=1, max_length=26)
    market: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2, e.g. JP")
    language: str = Field(min_length=2, max_length=35, description="BCP 47, e.g. ja")


class ListingPatch(_Fields):
    version: int | None = Field(default=None, ge=1, description="the version you edited (required; or send it "
                                "as If-Match); a newer one on the server is a 409")
    note: str | None = Field(default=None, max_length=500)


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_status: Literal["draft", "needs_review", "approved", "published"] | None = Field(
        default=None, description="required")
    note: str | None = Field(default=None, max_length=500)
    on: date | None = Field(default=None, description="QA date for the approval gate; default today")


class GenerateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: str = Field(min_length=1, max_length=26)
    market: str = Field(min_length=2, max_length=2)
    language: str = Field(min_length=2, max_length=35)


class BulkTranslateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    market: str = Field(min_length=2, max_length=2)
    language: str = Field(min_length=2, max_length=35)
    product_ids: list[str] | None = Field(default=None, max_length=20_000,
                                          description="default: every product of the organization")


class BulkApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    listing_ids: list[str] | None = Field(default=None, max_length=20_000,
                                          description="default: the market's listings in `status`")
    market: str | None = Field(default=None, min_length=2, max_length=2)
    status: Literal["draft", "needs_review"] | None = Field(default=None, description="default needs_review")
    on: date | None = None


class TmLookupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_language: str = Field(min_length=2, max_length=35)
    target_language: str = Field(min_length=2, max_length=35)
    text: str = Field(min_length=1, max_length=5_000)
    limit: int = Field(default=5, ge=1, le=50)
    min_score: float = Field(default=70.0, ge=0, le=100)


class SegmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_language: str = Field(min_length=2, max_length=35)
    target_language: str = Field(min_length=2, max_length=35)
    source_text: str = Field(min_length=1, max_length=5_000)
    target_text: str = Field(min_length=1, max_length=5_000)


class FindingOut(BaseModel):
    code: str
    severity: Literal["critical", "functional", "cosmetic"]
    field: str | None
    message: str
    reference_title: str | None = None
    reference_href: str | None = None


class QaOut(BaseModel):
    listing_id: str
    market: str
    language: str
    on: date
    blocking: bool
    findings: list[FindingOut]

    @classmethod
    def of(cls, result: QaResult, *, listing_id: str, on: date) -> QaOut:
        return cls(listing_id=listing_id, market=result.market, language=result.language, on=on,
                   blocking=result.blocking, findings=[FindingOut(
                       code=f.code, severity=f.severity.value, field=f.field, message=f.message,
                       reference_title=f.reference.title if f.reference else None,
                       reference_href=f.reference.href if f.reference else None) for f in result.findings])
