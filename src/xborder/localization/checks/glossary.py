"""Glossary adherence: required translations, forbidden renderings, do-not-translate terms, and the culture packs'
known mistranslations (节能 rendered as 'restricted use' in Japanese)."""

from __future__ import annotations

from xborder.kernel import Finding
from xborder.localization.checks.base import PreparedListing, QaContext, finding

__all__ = ["CHECKS", "glossary_do_not_translate", "glossary_forbidden_term", "glossary_required_term",
           "known_mistranslation"]


def _same_base(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.split("-")[0].lower() == b.split("-")[0].lower()  # type: ignore[union-attr]


def glossary_required_term(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A source term with a required translation must appear in the target in that rendering."""
    found: list[Finding] = []
    required = ctx.glossary.required(listing.language)
    if not required:
        return found
    for field in listing.fields:
        if not field.source:
            continue
        for entry, source_pattern, accepted in required:
            if entry.source_language and not _same_base(entry.source_language, listing.source_language):
                continue
            if source_pattern.search(field.source) and not any(p.search(field.text) for p in accepted):
                found.append(finding(ctx, "glossary_required_term", field.name, term=entry.term,
                                     translation=entry.translation, language=listing.language))
    return found


def glossary_forbidden_term(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A rendering the organization has forbidden in this language appears in the target."""
    found: list[Finding] = []
    forbidden = ctx.glossary.forbidden(listing.language)
    for field in listing.fields:
        for entry, pattern in forbidden:
            match = pattern.search(field.text)
            if match:
                found.append(finding(ctx, "glossary_forbidden_term", field.name, term=match.group(0),
                                     note={"en": entry.note, "zh": entry.note} if entry.note else None))
    return found


def glossary_do_not_translate(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A brand or model name marked do-not-translate is in the source but not unchanged in the target."""
    found: list[Finding] = []
    protected = ctx.glossary.do_not_translate()
    for field in listing.fields:
        if not field.source:
            continue
        for entry, pattern in protected:
            if pattern.search(field.source) and not pattern.search(field.text):
                found.append(finding(ctx, "glossary_do_not_translate", field.name, term=entry.term))
    return found


def known_mistranslation(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A culture pack's known harmful rendering of a source term appears where the source has that term."""
    found: list[Finding] = []
    entries = ctx.culture.entries_for("known_mistranslation", listing.language, ctx.on)
    if not entries:
        return found
    any_source = " ".join(f.source or "" for f in listing.fields)
    for field in listing.fields:
        for compiled in entries:
            source_text = field.source or any_source
            if compiled.source_pattern is not None and not compiled.source_pattern.search(source_text):
                continue
            match = compiled.pattern.search(field.text)
            if match:
                source_match = compiled.source_pattern.search(source_text) if compiled.source_pattern else None
                found.append(finding(
                    ctx, "known_mistranslation", field.name, reference=compiled.reference,
                    severity=compiled.entry.severity, note=compiled.entry.explanation.model_dump(),
                    term=match.group(0), source=source_match.group(0) if source_match else "",
                    suggestion=compiled.entry.suggestion or "-"))
    return found


CHECKS = (glossary_required_term, glossary_forbidden_term, glossary_do_not_translate, known_mistranslation)
