"""Languages by BCP 47 tag: English/Chinese names, script and writing direction from CLDR (babel)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from xborder.kernel import LanguageTag, ValidationFailed, language_tag
from xborder.reference._errors import invalid, not_found

__all__ = ["Language", "language"]

Direction = Literal["ltr", "rtl"]


@dataclass(frozen=True, slots=True)
class Language:
    """A language or locale. `script` is the ISO 15924 code CLDR considers likely ("Arab" for ar, "Hans" for zh)."""

    tag: LanguageTag
    name_en: str
    name_zh: str
    script: str
    direction: Direction


@cache
def _build(tag: LanguageTag) -> Language | None:
    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    likely = get_global("likely_subtags")
    script = locale.script
    if not script:
        # likely subtags map e.g. "zh_TW" -> "zh_Hant_TW", "ar" -> "ar_Arab_EG"
        key = f"{locale.language}_{locale.territory}" if locale.territory else locale.language
        full = likely.get(key) or likely.get(locale.language) or ""
        parts = full.split("_")
        script = parts[1] if len(parts) > 1 and len(parts[1]) == 4 else ""
    direction: Direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return Language(
        tag=tag,
        name_en=locale.get_display_name("en") or tag,
        name_zh=locale.get_display_name("zh_Hans_CN") or tag,
        script=script,
        direction=direction,
    )


def language(tag: str, *, field: str = "language") -> Language:
    """Describe a BCP 47 language tag ("ar", "zh-Hans", "pt_BR").

    Raises:
        ValidationFailed: not shaped like a BCP 47 tag.
        NotFound: well-formed but CLDR has no data for it.
    """
    try:
        norm = language_tag(tag, field=field)
    except ValidationFailed:
        raise invalid(field, f"{tag!r} is not a BCP 47 language tag such as en, zh-CN or pt-BR",
                      code="reference.invalid_language") from None
    found = _build(norm)
    if found is None:
        raise not_found(field, f"{norm} is not a language known to CLDR", code="reference.unknown_language")
    return found
