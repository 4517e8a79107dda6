"""Translate segments with TM and glossary around any MT provider (pure apart from the injected callables).

Order: an exact TM hit wins; the rest go to the provider with do-not-translate terms and required glossary terms
shielded by placeholders (⟦0⟧), restored afterwards. Without a provider, or when the provider fails or loses a
placeholder, the segment is marked for a human translator and no text is invented.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from xborder.localization.providers.base import MtProvider, ProviderError, TranslationRequest
from xborder.localization.termbase import Glossary

__all__ = ["SegmentResult", "TmLookup", "translate_segments"]

Origin = Literal["tm", "mt", "none"]
# (text, source_language, target_language) -> [(target_text, score)], best first
TmLookup = Callable[[str, str, str], list[tuple[str, float]]]


@dataclass(frozen=True, slots=True)
class SegmentResult:
    source: str
    target: str | None
    origin: Origin
    tm_score: float | None = None
    tm_suggestion: str | None = None
    needs_translator: bool = False
    problem: str | None = None


def _protect(text: str, glossary: Glossary, source: str, target: str) -> tuple[str, dict[str, str]]:
    """Replace protected and required terms by ⟦n⟧ markers; return the text and marker -> replacement."""
    replacements: dict[str, str] = {}
    terms = [(t, t) for t in glossary.protected_terms()]
    terms += sorted(glossary.required_map(source, target).items(), key=lambda kv: len(kv[0]), reverse=True)
    for term, replacement in terms:
        if not term:
            continue
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        if pattern.search(text):
            marker = f"⟦{len(replacements)}⟧"
            text = pattern.sub(marker, text)
            replacements[marker] = replacement
    return text, replacements


def _restore(text: str, replacements: dict[str, str]) -> str | None:
    for marker, replacement in replacements.items():
        if marker not in text:
            return None
        text = text.replace(marker, replacement)
    return text


def translate_segments(segments: list[str], *, source_language: str, target_language: str, glossary: Glossary,
                       tm_lookup: TmLookup | None = None, provider: MtProvider | None = None,
                       batch_size: int = 50) -> list[SegmentResult]:
    """One result per segment, in order. Never raises for provider trouble: it becomes `problem` on the segments."""
    results: list[SegmentResult | None] = [None] * len(segments)
    pending: list[int] = []
    suggestions: dict[int, tuple[str, float]] = {}
    for i, segment in enumerate(segments):
        if not segment.strip():
            results[i] = SegmentResult(segment, segment, "none")
            continue
        matches = tm_lookup(segment, source_language, target_language) if tm_lookup else []
        if matches and matches[0][1] >= 100:
            results[i] = SegmentResult(segment, matches[0][0], "tm", tm_score=matches[0][1])
            continue
        if matches:
            suggestions[i] = matches[0]
        pending.append(i)
    if provider is None:
        for i in pending:
            hint = suggestions.get(i)
            results[i] = SegmentResult(segments[i], None, "none", tm_score=hint[1] if hint else None,
                                       tm_suggestion=hint[0] if hint else None, needs_translator=True,
                                       problem="no MT provider configured")
        return [r for r in results if r is not None]
    for start in range(0, len(pending), batch_size):
        chunk = pending[start:start + batch_size]
        protected = [_protect(segments[i], glossary, source_language, target_language) for i in chunk]
        try:
            response = provider.translate(TranslationRequest(tuple(p[0] for p in protected), source_language,
                                                             target_language))
            answers: list[str | None] = list(response.texts)
            failure = None
        except ProviderError as exc:
            answers, failure = [None] * len(chunk), exc.message
        for i, (_, replacements), answer in zip(chunk, protected, answers, strict=True):
            hint = suggestions.get(i)
            restored = _restore(answer, replacements) if answer is not None else None
            problem = failure or (None if restored is not None else "the provider dropped a protected term")
            results[i] = SegmentResult(segments[i], restored, "mt" if restored is not None else "none",
                                       tm_score=hint[1] if hint else None, tm_suggestion=hint[0] if hint else None,
                                       needs_translator=restored is None, problem=problem)
    return [r for r in results if r is not None]
