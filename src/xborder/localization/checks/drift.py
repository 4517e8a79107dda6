"""Meaning drift: numbers, units, model numbers and named entities of the source must survive translation; with
a provider, a back-translation that no longer resembles the source flags a segment whose meaning moved."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from rapidfuzz import fuzz

from xborder.kernel import Finding
from xborder.localization.checks.base import PreparedListing, QaContext, finding
from xborder.localization.text import (
    Measurement,
    entity_tokens,
    expected_scripts,
    measurements,
    model_numbers,
    normalize,
    number_values,
    units,
)

__all__ = ["CHECKS", "back_translation_drift", "model_number_missing", "named_entity_missing", "number_mismatch",
           "unit_mismatch"]

_TOLERANCE = Decimal("0.03")  # converted values are usually rounded to 1-2 significant decimals


def _close(a: Decimal, b: Decimal) -> bool:
    if a == b:
        return True
    scale = max(abs(a), abs(b))
    return scale != 0 and abs(a - b) / scale <= _TOLERANCE


def _converted_present(measure: Measurement, target: tuple[Measurement, ...]) -> bool:
    return any(t.unit.dimension == measure.unit.dimension and _close(measure.to(t.unit), t.value) for t in target)


@lru_cache(maxsize=65536)
def _drift(source: str, target: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(missing numbers, missing measurements) of `source` in `target`, both NFKC-normalized."""
    target_numbers = number_values(target)
    target_values = frozenset().union(*target_numbers) if target_numbers else frozenset()
    source_measures = measurements(source)
    target_measures = measurements(target)
    missing_measures: list[str] = []
    measured_values: set[Decimal] = set()
    for measure in source_measures:
        measured_values.add(measure.value.normalize())
        if measure.value.normalize() in target_values or _converted_present(measure, target_measures):
            continue
        missing_measures.append(source[measure.start:measure.end].strip())
    missing_numbers = [
        str(min(candidates)) for candidates in number_values(source)
        if not (candidates & target_values) and not (candidates & measured_values)
    ]
    return tuple(dict.fromkeys(missing_numbers)), tuple(dict.fromkeys(missing_measures))


def number_mismatch(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A number in the source (capacity, count, version) is absent from the translation."""
    found = []
    for field in listing.fields:
        if field.source:
            missing, _ = _drift(field.source, field.text)
            if missing:
                found.append(finding(ctx, "number_mismatch", field.name, numbers=", ".join(missing)))
    return found


def unit_mismatch(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A measurement in the source has no counterpart (same value or a correct conversion) in the translation."""
    found = []
    for field in listing.fields:
        if field.source:
            _, missing = _drift(field.source, field.text)
            if missing:
                found.append(finding(ctx, "unit_mismatch", field.name, measurements=", ".join(missing)))
    return found


def model_number_missing(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A model or part number of the source is missing from the translation."""
    found = []
    for field in listing.fields:
        if not field.source:
            continue
        target = field.text.upper().replace(" ", "")
        missing = sorted(m for m in model_numbers(field.source) if m.replace(" ", "") not in target)
        if missing:
            found.append(finding(ctx, "model_number_missing", field.name, models=", ".join(missing)))
    return found


def named_entity_missing(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Latin-script names inside non-Latin source text (brands, standards such as Bluetooth) must survive."""
    source_language = listing.source_language
    if not source_language or "Latn" in expected_scripts(source_language):
        return []
    found = []
    for field in listing.fields:
        if not field.source:
            continue
        target = field.text.lower()
        covered = {part for model in model_numbers(field.source) for part in re.split(r"[-_/]", model)}
        covered |= ctx.glossary.protected_upper()
        missing = sorted(e for e in entity_tokens(field.source) if e.lower() not in target and e.upper() not in covered)
        if missing:
            found.append(finding(ctx, "named_entity_missing", field.name, names=", ".join(missing)))
    return found


def _similarity(a: str, b: str, language: str) -> float:
    a, b = normalize(a).lower(), normalize(b).lower()
    if "Latn" in expected_scripts(language):
        return float(fuzz.token_set_ratio(a, b))
    # scripts without spaces: compare character sequences, ignoring punctuation and spacing
    strip = str.maketrans("", "", " \t\n,.;:!?、。，．・「」()（）[]【】-")
    return float(fuzz.ratio(a.translate(strip), b.translate(strip)))


def back_translation_drift(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Translate the target back into the source language; a low similarity to the source means the meaning moved.

    Only runs when a provider is configured (`ctx.back_translate`) and the listing carries its source text.
    """
    if ctx.back_translate is None or not listing.source_language:
        return []
    found = []
    for field in listing.fields:
        if not field.source or not field.text.strip():
            continue
        back = ctx.back_translate(field.raw, listing.language, listing.source_language)
        if back is None:
            continue
        score = _similarity(field.source, back, listing.source_language)
        if score < ctx.similarity_threshold:
            found.append(finding(ctx, "back_translation_drift", field.name, score=f"{score:.0f}",
                                 back=back.strip()[:120], source=field.source.strip()[:120]))
    return found


units()  # load the unit table at import, not inside the first timed QA call
CHECKS = (number_mismatch, unit_mismatch, model_number_missing, named_entity_missing, back_translation_drift)
