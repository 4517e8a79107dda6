"""Console languages: catalogs compile from .po when the .mo is missing, locales negotiate, redirects stay local."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

from babel.messages.pofile import read_po

from xborder.web.console import i18n
from xborder.web.console.context import safe_next
from xborder.web.console.rendering import environment


def test_missing_mo_files_are_compiled_from_the_po(tmp_path, monkeypatch):
    shutil.copytree(i18n.LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.translations_for.cache_clear()
    try:
        written = i18n.compile_catalogs()
        assert {p.parent.parent.name for p in written} == {"zh_CN", "en"} and all(p.exists() for p in written)
        assert i18n.compile_catalogs() == []  # up to date: nothing to do
        assert i18n.translations_for("zh_CN").ugettext("Sign in") == "登录"
    finally:
        i18n.translations_for.cache_clear()


def test_every_message_has_a_chinese_translation_with_the_same_placeholders():
    import re

    with (i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    placeholders = re.compile(r"%\(\w+\)s")
    for message in catalog:
        if message.id:
            assert message.string, f"untranslated: {message.id!r}"
            assert sorted(placeholders.findall(message.string)) == sorted(placeholders.findall(message.id))


def test_negotiation_prefers_the_user_then_the_cookie_then_the_default():
    assert i18n.negotiate("en", "zh-CN", default="zh-CN").tag == "en"
    assert i18n.negotiate(None, "zh", default="en").tag == "zh-CN"
    assert i18n.negotiate("fr", None, default="en-US").tag == "en"
    assert i18n.negotiate(None, default="xx").tag == "zh-CN"


def test_formatting_follows_the_locale():
    zh, en = environment("zh_CN"), environment("en")
    assert zh.filters["date"](date(2026, 7, 1), "long") == "2026年7月1日"
    assert en.filters["date"](date(2026, 7, 1), "long") == "July 1, 2026"
    assert en.globals["money"](Decimal("1234.5"), "EUR") == "€1,234.50"
    assert zh.globals["money"](Decimal("7980"), "JPY") == "JP¥7,980"
    assert en.filters["rate"]("19") == "19%"
    assert zh.filters["country_name"]("DE") == "德国"


def test_redirect_targets_stay_on_the_site():
    assert safe_next("/catalog?q=1") == "/catalog?q=1"
    for bad in ("//evil.example.com", "https://evil.example.com/", "/\\evil", "", None, "catalog"):
        assert safe_next(bad) == "/"
