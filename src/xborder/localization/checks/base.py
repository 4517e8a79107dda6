"""What every QA check receives and returns: a prepared listing, the market context, and bilingual findings.

A check is a plain function `(listing: PreparedListing, ctx: QaContext) -> list[Finding]` whose name is its stable
code; severity and the seller-facing explanation (en + zh) are data in `checks/messages.yaml`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from importlib import resources
from typing import Any

import yaml

from xborder import markets
from xborder.kernel import DomainError, Finding, Reference, Severity
from xborder.localization.text import normalize, script_counts

__all__ = [
    "BackTranslate",
    "Check",
    "FieldText",
    "ListingText",
    "PreparedListing",
    "QaContext",
    "declared_terms",
    "finding",
    "message_catalog",
    "placeholder_values",
    "prepare",
]

BackTranslate = Callable[[str, str, str], "str | None"]  # (text, from_language, to_language) -> text or None


@dataclass(frozen=True, slots=True)
class ListingText:
    """One listing's texts in one language, optionally with the source it was translated from."""

    sku: str
    language: str
    title: str
    description: str = ""
    bullets: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    source_language: str | None = None
    source_title: str | None = None
    source_description: str | None = None
    source_bullets: tuple[str, ...] = ()
    # Brand and model names the product declares: kept as is in every language, like glossary do-not-translate terms.
    protected_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldText:
    """One field: `text` and `source` are NFKC-normalized; `raw` keeps the original (markup, bidi marks)."""

    name: str
    raw: str
    text: str
    source: str | None

    @cached_property
    def scripts(self) -> dict[str, int]:
        return script_counts(self.text)

    @cached_property
    def source_scripts(self) -> dict[str, int]:
        return script_counts(self.source or "")


@dataclass(frozen=True)
class PreparedListing:
    listing: ListingText
    fields: tuple[FieldText, ...]

    @property
    def language(self) -> str:
        return self.listing.language

    @property
    def source_language(self) -> str | None:
        return self.listing.source_language

    def field(self, name: str) -> FieldText | None:
        return next((f for f in self.fields if f.name == name), None)


MODEL_ATTRIBUTE_KEYS = frozenset({"model", "model_name", "model_number", "mpn"})


def declared_terms(*, brand: str | None, attributes: Iterable[Mapping[str, str] | None] = ()) -> tuple[str, ...]:
    """The brand and model names a catalog product declares (its brand; variant attributes `model`, `model_name`,
    `model_number`, `mpn`): a listing keeps them as is, so language checks do not report them."""
    terms = {brand.strip()} if brand and brand.strip() else set()
    for attrs in attributes:
        for key, value in (attrs or {}).items():
            if key.strip().lower() in MODEL_ATTRIBUTE_KEYS and isinstance(value, str) and value.strip():
                terms.add(value.strip())
    return tuple(sorted(terms))


def prepare(listing: ListingText) -> PreparedListing:
    """Normalize every non-empty field once, pairing each with its source text when there is one."""
    pairs: list[tuple[str, str, str | None]] = [
        ("title", listing.title, listing.source_title),
        ("description", listing.description, listing.source_description),
    ]
    for index, bullet in enumerate(listing.bullets):
        source = listing.source_bullets[index] if index < len(listing.source_bullets) else None
        pairs.append((f"bullets[{index}]", bullet, source))
    if listing.keywords:
        pairs.append(("keywords", " ".join(listing.keywords), None))
    fields = tuple(
        FieldText(name, raw or "", normalize(raw or ""), normalize(source) if source else None)
        for name, raw, source in pairs if (raw or "").strip() or (source or "").strip() or name == "title"
    )
    return PreparedListing(listing, fields)


@dataclass(frozen=True)
class QaContext:
    """Everything about the target market a check needs, resolved once per market (see `qa.build_qa_context`).

    `culture`, `channel` and `glossary` are compiled objects from `culture.py`, `channels.py` and `termbase.py`.
    """

    market: str
    on: date
    languages: tuple[str, ...]
    writing_direction: str
    measurement_system: str
    clothing_size_system: str
    shoe_size_system: str
    culture: Any
    channel: Any | None
    glossary: Any
    events: tuple[Any, ...] = ()
    locale: str = "en"
    back_translate: BackTranslate | None = None
    similarity_threshold: float = 60.0
    disabled: frozenset[str] = field(default_factory=frozenset)


Check = Callable[[PreparedListing, QaContext], list[Finding]]


@cache
def _messages_file() -> dict[str, Any]:
    raw = yaml.safe_load(resources.files("xborder.localization").joinpath("checks/messages.yaml").read_text("utf-8"))
    return dict(raw)


@cache
def message_catalog() -> dict[str, dict[str, str]]:
    """code -> {severity, en, zh}: the severity and the seller-facing explanation of every check."""
    return dict(_messages_file()["messages"])


@cache
def placeholder_values() -> dict[str, dict[str, dict[str, str]]]:
    """placeholder -> key a check passes -> {en, zh}: word values rendered in the reader's language."""
    return dict(_messages_file()["placeholder_values"])


_VALUE_TABLE = {"detected": "language", "expected": "language"}  # placeholders sharing another's table


@cache
def _market_name(code: str, lang: str) -> str:
    try:
        name = markets.market(code).name
    except DomainError:
        return code
    return str(getattr(name, lang, None) or code)


def _localized(name: str, value: Any, lang: str, params: dict[str, Any]) -> Any:
    if not isinstance(value, str):
        return value
    if name == "market":
        return _market_name(value, lang)
    table_name = _VALUE_TABLE.get(name, name)
    table = placeholder_values().get(table_name)
    if table is None:
        return value
    entry = table.get(value)
    if entry is None and table_name == "language":
        entry = table.get(value.split("-")[0].lower())  # 'pt-BR' reads as Portuguese
    return entry[lang].format(**params) if entry else value


def finding(ctx: QaContext, code: str, field: str | None, *, reference: Reference | None = None,
            severity: Severity | None = None, note: dict[str, str] | None = None, **params: Any) -> Finding:
    """Build the finding for `code` in the context's locale ('zh*' -> Chinese, else English).

    `note` is an extra bilingual sentence from data (a culture-pack explanation) appended to the message.
    """
    entry = message_catalog()[code]
    lang = "zh" if ctx.locale.lower().startswith("zh") else "en"
    message = entry[lang].format(**{k: _localized(k, v, lang, params) for k, v in params.items()})
    if note:
        message = f"{message} {note.get(lang) or note.get('en', '')}".strip()
    return Finding(code=code, severity=severity or Severity(entry["severity"]), message=message,
                   reference=reference, field=field)
