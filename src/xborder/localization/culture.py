"""Culture packs: per-market data (culture/<cc>.yaml) of taboo terms, unlucky numbers, colour symbolism, forbidden
health and green claims, known mistranslations and promotion-sensitive periods, each entry cited and dated.

Loaded and validated once, then compiled into regexes per check and language so QA stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from xborder.kernel import ErrorDetail, NotFound, Reference, Severity, ValidationFailed

__all__ = ["CULTURE_CHECKS", "CompiledEntry", "CulturePack", "PackEntry", "available_packs", "culture_pack"]

CULTURE_CHECKS = ("colour_symbolism", "green_claim", "health_claim", "known_mistranslation", "taboo_term",
                  "unlucky_number")
CheckName = Literal["colour_symbolism", "green_claim", "health_claim", "known_mistranslation", "taboo_term",
                    "unlucky_number"]


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str
    zh: str


class _Ref(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    href: str

    @field_validator("href")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError("reference href must be an https:// URL")
        return value


class PackEntry(BaseModel):
    """One rule of a culture pack."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    check: CheckName
    category: str
    severity: Severity | None = None
    languages: list[str] | None = None  # None: text in any language
    patterns: list[str] = Field(min_length=1)
    source_patterns: list[str] | None = None  # known_mistranslation: the source text that was mistranslated
    suggestion: str | None = None
    explanation: _Text
    reference: _Ref
    valid_from: date
    valid_until: date | None = None
    certainty: Literal["confirmed", "uncertain", "disputed"] = "confirmed"
    note: str | None = None

    @field_validator("patterns", "source_patterns")
    @classmethod
    def _compiles(cls, values: list[str] | None) -> list[str] | None:
        for value in values or []:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"pattern {value!r} is not a valid regular expression: {exc}") from None
        return values


class _Promotion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sensitive_events: list[str] = []
    lead_days: int = 14
    patterns: list[str] = []
    reference: _Ref | None = None


class _PackFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    market: str = Field(pattern=r"^[A-Z]{2}$|^EU$")
    extends: str | None = None
    checked_on: date
    entries: list[PackEntry] = []
    promotion: _Promotion | None = None


@dataclass(frozen=True)
class CompiledEntry:
    entry: PackEntry
    pattern: re.Pattern[str]
    source_pattern: re.Pattern[str] | None
    reference: Reference

    def applies(self, language: str, on: date) -> bool:
        if self.entry.valid_from > on or (self.entry.valid_until is not None and self.entry.valid_until < on):
            return False
        return self.entry.languages is None or language.split("-")[0].lower() in self.entry.languages


@dataclass(frozen=True)
class CulturePack:
    """A market's compiled pack (own entries plus those of the pack it extends)."""

    market: str
    entries: tuple[CompiledEntry, ...]
    sensitive_events: frozenset[str]
    promotion_lead_days: int
    promotion_pattern: re.Pattern[str] | None
    promotion_reference: Reference | None
    _memo: dict[tuple[str, str, date], tuple[CompiledEntry, ...]] = field(default_factory=dict, compare=False,
                                                                           hash=False, repr=False)

    def entries_for(self, check: str, language: str, on: date) -> tuple[CompiledEntry, ...]:
        """Entries of one check that apply to `language` on `on` (memoized: QA asks this for every listing)."""
        key = (check, language, on)
        found = self._memo.get(key)
        if found is None:
            base = language.split("-")[0].lower()
            found = self._memo[key] = tuple(e for e in self.entries if e.entry.check == check and e.applies(base, on))
        return found

    def __hash__(self) -> int:
        return hash(self.market)


def _folder() -> Traversable:
    return resources.files("xborder.localization").joinpath("culture")


def available_packs() -> list[str]:
    """Codes of every shipped pack, upper case (markets and shared packs such as EU)."""
    return sorted(p.name[:-5].upper() for p in _folder().iterdir() if p.name.endswith(".yaml"))


def _read(code: str) -> _PackFile:
    path = _folder().joinpath(f"{code.lower()}.yaml")
    if not path.is_file():
        raise NotFound(f"no culture pack for {code}", details=[ErrorDetail("unknown culture pack", field="market",
                                                                             code="localization.no_culture_pack")])
    try:
        return _PackFile.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except ValidationError as exc:
        details = [ErrorDetail(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}", field=f"culture/{code}.yaml",
                               code="localization.invalid_culture_pack") for err in exc.errors()]
        raise ValidationFailed(f"culture pack {code.lower()}.yaml is invalid", details=details) from None


def _compile(entry: PackEntry) -> CompiledEntry:
    source = re.compile("|".join(entry.source_patterns), re.IGNORECASE) if entry.source_patterns else None
    return CompiledEntry(entry, re.compile("|".join(f"(?:{p})" for p in entry.patterns), re.IGNORECASE), source,
                         Reference(entry.reference.title, entry.reference.href))


@cache
def culture_pack(market: str, *, extends: str | None = None) -> CulturePack:
    """The compiled pack of `market`; a market without its own file still gets the shared pack it `extends`
    (e.g. 'eu' for EU members) or an empty pack — culture checks then simply find nothing."""
    code = market.upper()
    files: list[_PackFile] = []
    if code in available_packs():
        files.append(_read(code))
    parent = files[0].extends if files else extends
    if parent and parent.upper() in available_packs():
        files.append(_read(parent))
    entries = tuple(_compile(e) for f in files for e in f.entries)
    promo = next((f.promotion for f in files if f.promotion is not None), None)
    return CulturePack(
        market=code,
        entries=entries,
        sensitive_events=frozenset(promo.sensitive_events) if promo else frozenset(),
        promotion_lead_days=promo.lead_days if promo else 0,
        promotion_pattern=re.compile("|".join(f"(?:{p})" for p in promo.patterns), re.IGNORECASE)
        if promo and promo.patterns else None,
        promotion_reference=Reference(promo.reference.title, promo.reference.href)
        if promo and promo.reference else None,
    )
