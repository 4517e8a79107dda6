"""Glossary entries as plain values, compiled for fast matching during QA and translation.

The database models live in `models.py`; this pure module is what QA checks and the translation pipeline see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from xborder.localization.text import normalize

__all__ = ["Glossary", "TermEntry", "TermKind"]

TermKind = Literal["required", "forbidden", "do_not_translate"]


@dataclass(frozen=True, slots=True)
class TermEntry:
    """One termbase line.

    - required: `term` (in `source_language`) must be rendered as `translation` in `language`;
    - forbidden: `translation` must not appear in `language` text (with `term` the source it mistranslates, if any);
    - do_not_translate: `term` (a brand, model number) must appear unchanged in every language.
    `market` limits the entry to one market (None: every market).
    """

    term: str
    kind: TermKind
    language: str | None = None
    translation: str | None = None
    source_language: str | None = None
    market: str | None = None
    note: str | None = None


@lru_cache(maxsize=4096)
def _contains_pattern(term: str) -> re.Pattern[str]:
    """Match `term` as a word in Latin text and as a substring in scripts without spaces."""
    escaped = re.escape(normalize(term))
    if re.search(r"[A-Za-z0-9]", term[:1] or "") and re.search(r"[A-Za-z0-9]", term[-1:]):
        return re.compile(rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])", re.IGNORECASE)
    return re.compile(escaped, re.IGNORECASE)


def _base(language: str | None) -> str | None:
    return language.split("-")[0].lower() if language else None


@dataclass(frozen=True)
class Glossary:
    """Entries of one organization, pre-compiled; `for_market` narrows them to what applies in one market."""

    entries: tuple[TermEntry, ...] = ()

    def for_market(self, market: str | None) -> Glossary:
        return Glossary(tuple(e for e in self.entries if e.market is None or market is None
                              or e.market.upper() == market.upper()))

    @lru_cache(maxsize=256)  # noqa: B019 - glossaries are frozen values reused across many listings
    def required(self, target_language: str) -> list[tuple[TermEntry, re.Pattern[str], list[re.Pattern[str]]]]:
        """(entry, source-term pattern, accepted-translation patterns) for one target language."""
        grouped: dict[str, list[TermEntry]] = {}
        for entry in self.entries:
            if entry.kind == "required" and entry.translation and _base(entry.language) == _base(target_language):
                grouped.setdefault(entry.term, []).append(entry)
        return [(group[0], _contains_pattern(term), [_contains_pattern(e.translation or "") for e in group])
                for term, group in grouped.items()]

    @lru_cache(maxsize=256)  # noqa: B019 - glossaries are frozen values reused across many listings
    def forbidden(self, target_language: str) -> list[tuple[TermEntry, re.Pattern[str]]]:
        return [(e, _contains_pattern(e.translation or e.term)) for e in self.entries
                if e.kind == "forbidden" and (e.language is None or _base(e.language) == _base(target_language))]

    @lru_cache(maxsize=256)  # noqa: B019 - glossaries are frozen values reused across many listings
    def do_not_translate(self) -> list[tuple[TermEntry, re.Pattern[str]]]:
        return [(e, _contains_pattern(e.term)) for e in self.entries if e.kind == "do_not_translate"]

    @lru_cache(maxsize=256)  # noqa: B019 - glossaries are frozen values reused across many listings
    def protected_upper(self) -> frozenset[str]:
        return frozenset(e.term.upper() for e in self.entries if e.kind == "do_not_translate")

    def protected_terms(self) -> list[str]:
        """Terms the translation pipeline must shield from the MT provider (longest first)."""
        return sorted({e.term for e in self.entries if e.kind == "do_not_translate"}, key=len, reverse=True)

    def required_map(self, source_language: str, target_language: str) -> dict[str, str]:
        """source term -> the first accepted translation, for pre-/post-processing around MT."""
        found: dict[str, str] = {}
        for entry in self.entries:
            if (entry.kind == "required" and entry.translation and _base(entry.language) == _base(target_language)
                    and (entry.source_language is None or _base(entry.source_language) == _base(source_language))):
                found.setdefault(entry.term, entry.translation)
        return found
