"""Template rendering for the console: one Jinja2 environment per language, babel formatting filters, htmx fragments.

Routes call `render(...)`; it returns the `_fragment` partial when htmx asks (HX-Request), else the full page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from xborder import reference
from xborder.kernel import Money
from xborder.web.console.i18n import SUPPORTED_LOCALES, ConsoleLocale, translations_for

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "environment", "is_htmx", "render", "vendor_available"]

_WEB_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = _WEB_DIR / "templates"
STATIC_DIR = _WEB_DIR / "static"


def is_htmx(request: Request) -> bool:
    """True when htmx made the request and expects a fragment, not a whole page.

    A history restore (back button after `hx-push-url`, cache miss) replaces the whole body: it gets the page.
    """
    if request.headers.get("HX-History-Restore-Request", "").lower() == "true":
        return False
    return request.headers.get("HX-Request", "").lower() == "true"


def vendor_available(name: str) -> bool:
    """Whether an optional front-end file (fetched by scripts/fetch_frontend.sh) is present."""
    return (STATIC_DIR / "vendor" / name).is_file()


def _filters(loc: ConsoleLocale) -> dict[str, Any]:
    babel = loc.babel

    def fmt_date(value: date | datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):
            value = value.date()
        return babel_dates.format_date(value, format=fmt, locale=babel)

    def fmt_datetime(value: datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return "—"
        return babel_dates.format_datetime(value, format=fmt, locale=babel)

    def fmt_number(value: Decimal | int | str | None, digits: int | None = None) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, str):  # market data keeps exact decimals as strings
            value = Decimal(value)
        if digits is not None:
            return babel_numbers.format_decimal(value, format=f"#,##0.{'0' * digits}" if digits else "#,##0",
                                                locale=babel)
        return babel_numbers.format_decimal(value, locale=babel, decimal_quantization=False)

    def fmt_money(value: Money | None, amount_only: bool = False) -> str:
        if value is None:
            return "—"
        if amount_only:
            return babel_numbers.format_decimal(value.amount, locale=babel, decimal_quantization=False)
        # Currency digits follow ISO 4217 through babel; the amount is never converted to float.
        return babel_numbers.format_currency(value.amount, value.currency, locale=babel)

    def money_parts(amount: Decimal | None, currency: str | None) -> str:
        if amount is None or not currency:
            return "—"
        return babel_numbers.format_currency(amount, currency, locale=babel)

    def fmt_percent(value: Decimal | None) -> str:
        """`value` is a fraction (0.19 → 19 %)."""
        if value is None:
            return "—"
        return babel_numbers.format_percent(value, format="#,##0.##%", locale=babel, decimal_quantization=False)

    def country_name(code: str | None) -> str:
        if not code:
            return "—"
        return str(babel.territories.get(code.upper(), code.upper()))  # CLDR names are str; babel types them Any

    def language_name(tag: str | None) -> str:
        if not tag:
            return "—"
        key = tag.replace("-", "_")
        return str(babel.languages.get(key) or babel.languages.get(key.split("_")[0], tag))

    def currency_name(code: str | None) -> str:
        if not code:
            return "—"
        return babel_numbers.get_currency_name(code, locale=babel)

    def localized(value: Any) -> str:
        """A LocalizedText-like value (attributes en, zh) in the page language."""
        if value is None:
            return ""
        if loc.tag == "zh-CN":
            text: str = getattr(value, "zh", None) or value.en
            return text
        return str(value.en)

    def rate(value: Any) -> str:
        """A percentage written as a decimal string ("19" → 19 %)."""
        if value is None:
            return "—"
        return fmt_percent(Decimal(str(value)) / 100)

    return {
        "localized": localized,
        "rate": rate,
        "date": fmt_date,
        "datetime": fmt_datetime,
        "number": fmt_number,
        "money": fmt_money,
        "money_parts": money_parts,
        "percent": fmt_percent,
        "country_name": country_name,
        "language_name": language_name,
        "currency_name": currency_name,
    }


def _in_force(history: Any, on: date) -> Any:
    """The version of a fact history in force on `on`, or None before its first version."""
    for version in reversed(history.versions):
        if version.valid_from <= on:
            return version
    return None


@cache
def environment(babel_name: str) -> Environment:
    """The Jinja2 environment of one console language (gettext and formatting bound to it)."""
    loc = next(item for item in SUPPORTED_LOCALES if item.babel_name == babel_name)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations_for(babel_name), newstyle=True)  # type: ignore[attr-defined]
    filters = _filters(loc)
    env.filters.update(filters)
    env.globals["money"] = filters["money_parts"]
    env.globals["locales"] = SUPPORTED_LOCALES
    env.globals["current_locale"] = loc
    env.globals["vendor_available"] = vendor_available
    env.globals["in_force"] = _in_force
    env.globals["hs_entry"] = reference.hs_lookup
    return env


def render(
    request: Request,
    loc: ConsoleLocale,
    page: str,
    context: Mapping[str, Any],
    *,
    fragment: str | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render `page`, or `fragment` when htmx asked for it. Both get the same context."""
    name = fragment if fragment is not None and is_htmx(request) else page
    template = environment(loc.babel_name).get_template(name)
    body = template.render({"request": request, **context})
    response = HTMLResponse(body, status_code=status_code, headers=dict(headers or {}))
    response.headers.setdefault("Vary", "HX-Request")
    return response
