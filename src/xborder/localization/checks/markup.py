"""Markup and rendering: empty fields, broken or unsafe HTML, placeholders lost in translation, and bidirectional
text (Arabic, Hebrew) that needs direction marks or has unbalanced bidi controls."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from html.parser import HTMLParser

from xborder.kernel import Finding
from xborder.localization.checks.base import PreparedListing, QaContext, finding
from xborder.localization.text import SCRIPT_PATTERNS, expected_scripts, placeholders

__all__ = ["CHECKS", "bidi_controls_unbalanced", "broken_html", "empty_field", "placeholder_mismatch",
           "rtl_marks_missing", "unsafe_html"]

_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr", "source", "track"})
_UNSAFE = frozenset({"script", "style", "iframe", "object", "embed", "form", "input", "link", "meta", "base"})
_DIRECTION_MARKS = frozenset("\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202b\u202d\u202e")
_OPENERS, _PDF = frozenset("\u202a\u202b\u202d\u202e"), "\u202c"
_ISOLATES, _PDI = frozenset("\u2066\u2067\u2068"), "\u2069"


class _TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: set[str] = set()
        self.handlers = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if any(name.lower().startswith("on") for name, _ in attrs) or any(
                (value or "").strip().lower().startswith("javascript:") for _, value in attrs):
            self.handlers = True
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag in self.stack:
            while self.stack:
                open_tag = self.stack.pop()
                if open_tag == tag:
                    break
                self.problems.append(f"<{open_tag}> not closed")
        else:
            self.problems.append(f"</{tag}> without <{tag}>")


@lru_cache(maxsize=65536)
def _parse(text: str) -> _TagBalance:
    parser = _TagBalance()
    parser.feed(text)
    parser.close()
    parser.problems.extend(f"<{t}> not closed" for t in parser.stack)
    rest = parser.rawdata if hasattr(parser, "rawdata") else ""
    if rest.strip().startswith("<"):
        parser.problems.append(f"unfinished tag {rest.strip()[:20]!r}")
    return parser


def empty_field(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """The title is empty, or a field whose source has text was left empty."""
    found = []
    for field in listing.fields:
        if not field.text.strip() and (field.name == "title" or (field.source or "").strip()):
            found.append(finding(ctx, "empty_field", field.name))
    for index, source in enumerate(listing.listing.source_bullets):
        if source.strip() and index >= len(listing.listing.bullets):
            found.append(finding(ctx, "empty_field", f"bullets[{index}]"))
    return found


def broken_html(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Unclosed, stray or unfinished HTML tags that will break the page layout."""
    found = []
    for field in listing.fields:
        if "<" not in field.raw:
            continue
        problems = _parse(field.raw).problems
        if problems:
            found.append(finding(ctx, "broken_html", field.name, problems="; ".join(problems[:3])))
    return found


def unsafe_html(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Script, style, frames, forms or event handlers in a listing field (removed or rejected by every channel)."""
    found = []
    for field in listing.fields:
        if "<" not in field.raw:
            continue
        parsed = _parse(field.raw)
        bad = sorted(parsed.tags & _UNSAFE) + (["on*= / javascript:"] if parsed.handlers else [])
        if bad:
            found.append(finding(ctx, "unsafe_html", field.name, tags=", ".join(bad)))
    return found


def placeholder_mismatch(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Template placeholders ({name}, %s, {{price}}) of the source are missing or changed in the translation."""
    found = []
    for field in listing.fields:
        if field.source is None:
            continue
        source, target = Counter(placeholders(field.source)), Counter(placeholders(field.text))
        if source != target:
            missing = sorted((source - target).elements())
            extra = sorted((target - source).elements())
            found.append(finding(ctx, "placeholder_mismatch", field.name, missing=", ".join(missing) or "-",
                                 extra=", ".join(extra) or "-"))
    return found


def _is_rtl(language: str) -> bool:
    return bool(expected_scripts(language) & {"Arab", "Hebr"})


def rtl_marks_missing(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Arabic or Hebrew text that starts or ends with a Latin name or model number and has no direction marks:
    shops render it with the Latin part and punctuation on the wrong side."""
    if not _is_rtl(listing.language):
        return []
    found = []
    latin = SCRIPT_PATTERNS["Latn"]
    for field in listing.fields:
        text = field.raw.strip()
        if not text or _DIRECTION_MARKS & set(text):
            continue
        if not (SCRIPT_PATTERNS["Arab"].search(text) or SCRIPT_PATTERNS["Hebr"].search(text)):
            continue
        strong = [c for c in text if latin.match(c) or SCRIPT_PATTERNS["Arab"].match(c)
                  or SCRIPT_PATTERNS["Hebr"].match(c)]
        if strong and (latin.match(strong[0]) or latin.match(strong[-1])):
            found.append(finding(ctx, "rtl_marks_missing", field.name, edge="start" if latin.match(strong[0])
                                 else "end"))
    return found


def bidi_controls_unbalanced(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Bidi embeddings/overrides or isolates that are opened but never closed (or closed without opening)."""
    found = []
    for field in listing.fields:
        raw = field.raw
        if not (_DIRECTION_MARKS & set(raw)):
            continue
        embeddings = sum(1 for c in raw if c in _OPENERS) - raw.count(_PDF)
        isolates = sum(1 for c in raw if c in _ISOLATES) - raw.count(_PDI)
        if embeddings or isolates:
            found.append(finding(ctx, "bidi_controls_unbalanced", field.name))
    return found


CHECKS = (empty_field, broken_html, unsafe_html, placeholder_mismatch, rtl_marks_missing, bidi_controls_unbalanced)
