"""QA check families; each function's name is its stable finding code (see checks/messages.yaml)."""

from xborder.localization.checks import culture, drift, fields, glossary, language, markup, units
from xborder.localization.checks.base import Check

__all__ = ["ALL_CHECKS", "CHANNEL_ONLY", "CHECK_FAMILIES", "DNT_AWARE", "MARKET_INDEPENDENT", "Check"]

CHECK_FAMILIES: dict[str, tuple[Check, ...]] = {
    "glossary": glossary.CHECKS,
    "drift": drift.CHECKS,
    "culture": culture.CHECKS,
    "units": units.CHECKS,
    "fields": fields.CHECKS,
    "language": language.CHECKS,
    "markup": markup.CHECKS,
}
ALL_CHECKS: tuple[Check, ...] = tuple(check for family in CHECK_FAMILIES.values() for check in family)
# Checks whose result depends only on the listing (and the message locale), not on the market, channel or
# glossary: a multi-market run computes them once per listing.
MARKET_INDEPENDENT: frozenset[str] = frozenset({
    "number_mismatch", "unit_mismatch", "model_number_missing", "wrong_language", "mixed_scripts",
    "untranslated_source_text", "empty_field", "broken_html", "unsafe_html", "placeholder_mismatch",
    "rtl_marks_missing", "bidi_controls_unbalanced", "unit_conversion_inconsistent", "size_conversion_inconsistent",
})
# Market-independent checks that skip do-not-translate terms: a glossary may scope such terms to one market, so
# their shared result is keyed by the market's terms too.
DNT_AWARE: frozenset[str] = frozenset({"mixed_scripts", "untranslated_source_text"})
# Checks that depend on the listing and the channel rules only: computed once per listing and channel.
CHANNEL_ONLY: frozenset[str] = frozenset(check.__name__ for check in fields.CHECKS)
