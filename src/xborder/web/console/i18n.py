"""Console languages: gettext catalogs (compiled from .po with babel on first use) and locale negotiation.

Console locales are BCP 47 tags (``zh-CN``, ``en``); catalogs live in ``xborder/locale/<babel_name>/LC_MESSAGES``.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

__all__ = [
    "DOMAIN",
    "LOCALE_COOKIE",
    "LOCALE_DIR",
    "SUPPORTED_LOCALES",
    "ConsoleLocale",
    "compile_catalogs",
    "console_locale",
    "negotiate",
    "translations_for",
]

log = logging.getLogger(__name__)

DOMAIN = "messages"
LOCALE_COOKIE = "xb_locale"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


@dataclass(frozen=True)
class ConsoleLocale:
    """One console language: its BCP 47 tag, babel name, and its own name for the language switch."""

    tag: str
    babel_name: str
    native_name: str
    html_lang: str

    @property
    def babel(self) -> Locale:
        return Locale.parse(self.babel_name)


SUPPORTED_LOCALES: tuple[ConsoleLocale, ...] = (
    ConsoleLocale(tag="zh-CN", babel_name="zh_CN", native_name="中文", html_lang="zh-CN"),
    ConsoleLocale(tag="en", babel_name="en", native_name="English", html_lang="en"),
)
_BY_KEY = {key.lower(): loc for loc in SUPPORTED_LOCALES for key in (loc.tag, loc.babel_name)}
# Bare language codes and common regional variants map to the console's two languages.
_BY_KEY.update({"zh": SUPPORTED_LOCALES[0], "zh-hans": SUPPORTED_LOCALES[0], "zh_hans_cn": SUPPORTED_LOCALES[0],
                "en-us": SUPPORTED_LOCALES[1], "en-gb": SUPPORTED_LOCALES[1], "en_us": SUPPORTED_LOCALES[1]})


def console_locale(value: str | None) -> ConsoleLocale | None:
    """The supported locale a tag names (``zh-CN``, ``zh_CN``, ``zh``, ``en-US``...), or None."""
    if not value:
        return None
    return _BY_KEY.get(value.strip().lower())


def negotiate(*candidates: str | None, default: str) -> ConsoleLocale:
    """The first supported locale among `candidates` (user setting, cookie, ...), else `default`, else zh-CN."""
    for candidate in (*candidates, default):
        found = console_locale(candidate)
        if found is not None:
            return found
    return SUPPORTED_LOCALES[0]


def _po_path(babel_name: str) -> Path:
    return LOCALE_DIR / babel_name / "LC_MESSAGES" / f"{DOMAIN}.po"


def _po_paths(babel_name: str) -> list[Path]:
    """The main catalog first, then one catalog per console area (`<area>.po`), merged into one translation."""
    folder = LOCALE_DIR / babel_name / "LC_MESSAGES"
    main = _po_path(babel_name)
    extra = sorted(p for p in folder.glob("*.po") if p != main)
    return ([main] if main.exists() else []) + extra


def _compile_one(po: Path, mo: Path) -> bytes:
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name, domain=po.stem)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    try:
        # Write then rename, so a concurrent process (several workers starting) never reads a half-written file.
        partial = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, mo)
    except OSError as exc:  # read-only install: keep the compiled catalog in memory only
        log.info("cannot write %s (%s); using the compiled catalog from memory", mo, exc)
    return data


def compile_catalogs(*, force: bool = False) -> list[Path]:
    """Compile every .po that has no .mo or a stale one. Returns the .mo paths written (or attempted)."""
    written = []
    for loc in SUPPORTED_LOCALES:
        for po in _po_paths(loc.babel_name):
            mo = po.with_suffix(".mo")
            if force or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                _compile_one(po, mo)
                written.append(mo)
    return written


@cache
def translations_for(babel_name: str) -> Translations:
    """The gettext translations of one locale, compiling its .po if the .mo is missing or stale."""
    paths = _po_paths(babel_name)
    if not paths or paths[0] != _po_path(babel_name):
        raise FileNotFoundError(f"no message catalog for locale {babel_name!r} at {_po_path(babel_name)}")
    merged: Translations | None = None
    for po in paths:
        mo = po.with_suffix(".mo")
        stale = not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime
        data = _compile_one(po, mo) if stale else mo.read_bytes()
        translations = Translations(io.BytesIO(data), domain=DOMAIN)
        if merged is None:
            merged = translations
        else:
            merged.merge(translations)
    assert merged is not None
    return merged
