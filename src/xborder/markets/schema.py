"""Pydantic models for `jurisdictions/<cc>/facts.yaml` (format in docs/market-data.md) and the validator that
turns every problem into a `ValidationFailed` naming the file, the fact key and the version index.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from xborder.kernel import ErrorDetail, ValidationFailed
from xborder.markets.calendar import parse_rule

__all__ = [
    "ENUM_VALUES",
    "REQUIRED_KEYS",
    "Certainty",
    "DeMinimisThreshold",
    "EventRule",
    "FactDefinition",
    "FactVersion",
    "FactsFile",
    "LocalizedText",
    "Marketplace",
    "ReducedRate",
    "SourceRef",
    "Unit",
    "parse_facts_file",
]

Certainty = Literal["confirmed", "uncertain", "disputed"]
Unit = Literal["percent", "money", "currency_code", "language_list", "enum", "bool", "text", "list", "table",
               "de_minimis"]
Channel = Literal["postal", "courier", "freight"]

# Keys every market must define (directly or through `extends`) and the unit each must use.
REQUIRED_KEYS: dict[str, str] = {
    "currency": "currency_code",
    "languages.official": "language_list",
    "languages.marketplace": "language_list",
    "writing_direction": "enum",
    "tax.name": "text",
    "tax.standard_rate": "percent",
    "tax.reduced_rates": "table",
    "customs.valuation_basis": "enum",
    "import_tax.base": "enum",
    "de_minimis.duty": "de_minimis",
    "de_minimis.tax": "de_minimis",
    "prices.tax_inclusive": "bool",
    "measurement.system": "enum",
    "size_system.clothing": "enum",
    "size_system.shoes": "enum",
    "marketplaces": "list",
    "calendar.events": "list",
}

_SIZE_SYSTEMS = frozenset({"EU", "UK", "US", "JP", "CN", "KR", "AU", "BR", "MX", "IT", "FR"})
ENUM_VALUES: dict[str, frozenset[str]] = {
    "writing_direction": frozenset({"ltr", "rtl"}),
    "customs.valuation_basis": frozenset({"CIF", "FOB"}),
    "import_tax.base": frozenset({"cif_plus_duty", "fob_plus_duty", "cif_plus_duty_and_excise",
                                  "cif_plus_duty_and_fees",
                                  "customs_value_plus_duty", "cif_plus_duty_tax_inclusive", "none"}),
    "measurement.system": frozenset({"metric", "us_customary", "imperial_mixed"}),
    "size_system.clothing": _SIZE_SYSTEMS,
    "size_system.shoes": _SIZE_SYSTEMS,
}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _exact_decimal(value: Any, what: str) -> Decimal:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a quoted decimal string such as \"19\" (got {type(value).__name__})")
    try:
        result = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"{what} {value!r} is not a decimal number") from None
    if not result.is_finite():
        raise ValueError(f"{what} {value!r} is not finite")
    return result


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(_Strict):
    """Where a version comes from; `href` must be an https URL of the original source."""

    title: str = Field(min_length=1)
    href: str

    @field_validator("href")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://") or len(value) < 12:
            raise ValueError(f"href {value!r} must be an https:// URL")
        return value


class LocalizedText(BaseModel):
    """A text in English and Chinese (other BCP 47 keys such as `de` may be added)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class FactVersion(_Strict):
    """One dated version of a fact; it lasts until the next version of the same key starts."""

    valid_from: date
    value: Any = None
    reference: SourceRef
    checked_on: date
    certainty: Certainty = "confirmed"
    note: str | None = None

    @model_validator(mode="after")
    def _note_when_needed(self) -> FactVersion:
        if self.certainty != "confirmed" and not (self.note or "").strip():
            raise ValueError(f"certainty {self.certainty!r} needs a note saying what is unclear")
        if self.value is None and not (self.note or "").strip():
            raise ValueError("value null (not in force) needs a note")
        return self


class FactDefinition(_Strict):
    """A dotted fact key: description, unit and its versions in date order."""

    description: str = Field(min_length=1)
    unit: Unit
    versions: list[FactVersion] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> FactDefinition:
        for index in range(1, len(self.versions)):
            if self.versions[index].valid_from <= self.versions[index - 1].valid_from:
                raise ValueError(f"versions[{index}].valid_from {self.versions[index].valid_from} must be after "
                                 f"versions[{index - 1}].valid_from {self.versions[index - 1].valid_from}")
        return self


class DeMinimisThreshold(_Strict):
    """A value under which duty (or border tax) is not collected, for the given channels and origins."""

    amount: Decimal
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    basis: Literal["customs_value", "intrinsic_value", "consignment_value", "fair_retail_value"]
    channels: tuple[Channel, ...] | None = None
    origins: tuple[str, ...] | None = None
    excluded_origins: tuple[str, ...] | None = None
    collection: Literal["border", "point_of_sale"] = "border"
    requires: tuple[str, ...] | None = None
    note: str | None = None

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal:
        amount = _exact_decimal(value, "amount")
        if amount < 0:
            raise ValueError("amount must not be negative")
        return amount

    @field_validator("origins", "excluded_origins")
    @classmethod
    def _countries(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for code in value or ():
            if not _COUNTRY.match(code):
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code")
        return value

    @model_validator(mode="after")
    def _one_origin_filter(self) -> DeMinimisThreshold:
        if self.origins is not None and self.excluded_origins is not None:
            raise ValueError("use either origins or excluded_origins, not both")
        return self


class ReducedRate(_Strict):
    """A reduced VAT/GST rate and the consumer goods it applies to."""

    rate: Decimal
    applies_to: str = Field(min_length=1)
    note: str | None = None

    @field_validator("rate", mode="before")
    @classmethod
    def _rate(cls, value: Any) -> Decimal:
        return _exact_decimal(value, "rate")


class Marketplace(_Strict):
    name: str = Field(min_length=1)
    url: str
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError(f"url {value!r} must be an https:// URL")
        return value


class EventRule(_Strict):
    """A calendar event rule; `calendar.expand_events` turns it into dated occurrences."""

    id: str = Field(pattern=_SLUG.pattern)
    name: LocalizedText
    kind: Literal["public_holiday", "religious_period", "shopping_event"]
    rule: str
    reference: SourceRef | None = None
    promotion_note: LocalizedText | None = None

    @field_validator("rule")
    @classmethod
    def _parses(cls, value: str) -> str:
        try:
            parse_rule(value)
        except ValidationFailed as exc:
            raise ValueError(exc.message) from None
        return value


class FactsFile(_Strict):
    """One `facts.yaml` as written (before `extends` is applied)."""

    jurisdiction: str = Field(pattern=r"^([A-Z]{2}|EU)$")
    name: LocalizedText
    extends: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    facts: dict[str, FactDefinition]

    @field_validator("facts")
    @classmethod
    def _keys(cls, value: dict[str, FactDefinition]) -> dict[str, FactDefinition]:
        for key in value:
            if not re.match(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", key):
                raise ValueError(f"fact key {key!r} must be dotted snake_case, e.g. tax.standard_rate")
        return value


_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "tax.reduced_rates": ReducedRate,
    "marketplaces": Marketplace,
    "calendar.events": EventRule,
}


def _check_value(key: str, unit: str, value: Any) -> str | None:
    """Return a problem with `value` for `unit` (and the key's own shape), or None when it is fine."""
    if value is None:
        return "de_minimis values are lists ([] = no de minimis), never null" if unit == "de_minimis" else None
    try:
        if unit == "percent":
            _exact_decimal(value, "percent")
        elif unit == "money":
            if isinstance(value, dict):
                if set(value) != {"amount", "currency"}:
                    return "money must be a decimal string or {amount, currency}"
                _exact_decimal(value["amount"], "amount")
            else:
                _exact_decimal(value, "money")
        elif unit == "currency_code":
            if not isinstance(value, str) or not re.match(r"^[A-Z]{3}$", value):
                return f"{value!r} is not an ISO 4217 code such as EUR"
        elif unit == "language_list":
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                return "language_list must be a non-empty list of BCP 47 tags"
        elif unit in ("enum", "text"):
            if not isinstance(value, str) or not value.strip():
                return f"{unit} must be a non-empty string"
            allowed = ENUM_VALUES.get(key)
            if allowed is not None and value not in allowed:
                return f"{value!r} is not one of {sorted(allowed)}"
        elif unit == "bool":
            if not isinstance(value, bool):
                return "bool must be true or false"
        elif unit in ("list", "table", "de_minimis"):
            if not isinstance(value, list):
                return f"{unit} must be a list"
            item_model = DeMinimisThreshold if unit == "de_minimis" else _ITEM_MODELS.get(key)
            if unit == "table" and not all(isinstance(item, dict) for item in value):
                return "table rows must be mappings"
            for index, item in enumerate(value):
                if item_model is not None:
                    try:
                        item_model.model_validate(item)
                    except ValidationError as exc:
                        first = exc.errors()[0]
                        where = ".".join(str(p) for p in first["loc"])
                        return f"item [{index}]{'.' + where if where else ''}: {first['msg']}"
    except ValueError as exc:
        return str(exc)
    return None


def parse_facts_file(data: Any, *, source: str) -> FactsFile:
    """Validate the parsed YAML of one facts file.

    Raises:
        ValidationFailed: with one detail per problem; each names `source`, the fact key and the version index.
    """
    try:
        parsed = FactsFile.model_validate(data)
    except ValidationError as exc:
        details = [ErrorDetail(message=f"{source}: {_render_loc(err['loc'])}: {err['msg']}",
                               field=_render_loc(err["loc"]), code="markets.invalid_facts")
                   for err in exc.errors()]
        raise ValidationFailed(f"{source}: invalid facts file ({len(details)} problem(s)): {details[0].message}",
                               details=details) from None
    details = []
    for key, fact in parsed.facts.items():
        expected = REQUIRED_KEYS.get(key)
        if expected is not None and fact.unit != expected:
            details.append(ErrorDetail(message=f"{source}: facts.{key}.unit must be {expected!r}, not {fact.unit!r}",
                                       field=f"facts.{key}.unit", code="markets.invalid_facts"))
        for index, version in enumerate(fact.versions):
            problem = _check_value(key, fact.unit, version.value)
            if problem:
                field = f"facts.{key}.versions[{index}].value"
                details.append(ErrorDetail(message=f"{source}: {field}: {problem}", field=field,
                                           code="markets.invalid_facts"))
    if details:
        raise ValidationFailed(f"{source}: invalid facts file ({len(details)} problem(s)): {details[0].message}",
                               details=details)
    return parsed


def _render_loc(loc: tuple[Any, ...]) -> str:
    """('facts', 'tax.standard_rate', 'versions', 0, 'value') -> facts.tax.standard_rate.versions[0].value"""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
