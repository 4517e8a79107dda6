"""SEO helpers (pure): keyword suggestions, title templates per marketplace (data/title_templates.yaml), keyword
coverage and stuffing, and storefront meta title/description within the usual display lengths."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from xborder.kernel import ErrorDetail, NotFound
from xborder.localization.text import normalize

__all__ = [
    "KeywordReport",
    "keyword_report",
    "meta_description",
    "meta_title",
    "render_title",
    "suggest_keywords",
    "title_templates",
]

_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_STOP = frozenset({"the", "and", "for", "with", "a", "an", "of", "to", "in", "on", "und", "mit", "für", "der", "die",
                   "das", "le", "la", "les", "et", "de", "des", "el", "los", "y", "con", "para", "の", "と", "で"})
META_TITLE_MAX = 60
META_DESCRIPTION_MAX = 155


@cache
def title_templates() -> dict[str, dict[str, str]]:
    raw = yaml.safe_load(resources.files("xborder.localization").joinpath("data/title_templates.yaml")
                         .read_text("utf-8"))
    return dict(raw["templates"])


def render_title(channel: str, *, brand: str = "", product: str = "", model: str = "", feature: str = "",
                 size: str = "", colour: str = "", quantity: str = "") -> str:
    """Fill the channel's title template; empty parts and their separators disappear."""
    template = title_templates().get(channel)
    if template is None:
        raise NotFound(f"no title template for channel {channel!r}", details=[
            ErrorDetail("unknown channel", field="channel", code="localization.unknown_channel")])
    parts = {"brand": brand, "product": product, "model": model, "feature": feature, "size": size,
             "colour": colour, "quantity": quantity}
    text = template["pattern"].format(**{k: v.strip() for k, v in parts.items()})
    text = re.sub(r"(\s*[,|–-]\s*)+$", "", re.sub(r"(\s*[,|–-]\s*){2,}", r"\1", text))
    text = re.sub(r"\(\s*\)", "", re.sub(r"\s{2,}", " ", text)).strip(" ,|–-")
    return text[: int(template.get("max_chars", 200))].strip()


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(normalize(text)) if t.lower() not in _STOP and len(t) > 1]


def suggest_keywords(*, catalog_texts: list[str], tm_texts: list[str], seller_keywords: list[str],
                     existing: list[str], limit: int = 15) -> list[str]:
    """Seller keywords first, then frequent terms of the catalog and TM target texts not yet in the listing."""
    have = {k.lower() for k in existing}
    ranked: list[str] = [k.strip() for k in seller_keywords if k.strip() and k.lower() not in have]
    counts = Counter(t for text in catalog_texts + tm_texts for t in _tokens(text) if not t.isdigit())
    ranked += [t for t, _ in counts.most_common() if t not in have]
    return list(dict.fromkeys(ranked))[:limit]


@dataclass(frozen=True, slots=True)
class KeywordReport:
    coverage: float  # share of keywords found in title, bullets or description
    missing: tuple[str, ...]
    stuffed: tuple[str, ...]  # keywords repeated more than `max_repeats` times in the title


def keyword_report(*, title: str, body: str, keywords: list[str], max_repeats: int = 2) -> KeywordReport:
    text = normalize(f"{title} {body}").lower()
    title_text = normalize(title).lower()
    present = [k for k in keywords if normalize(k).lower() in text]
    stuffed = [k for k in keywords if k and title_text.count(normalize(k).lower()) > max_repeats]
    return KeywordReport(coverage=round(len(present) / len(keywords), 3) if keywords else 1.0,
                         missing=tuple(k for k in keywords if k not in present), stuffed=tuple(stuffed))


def _cut(text: str, limit: int) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.6 else cut).rstrip(" ,.;:") + "…"


def meta_title(*, title: str, brand: str | None = None) -> str:
    """A storefront <title> of at most 60 characters: the listing title, then the brand if it fits."""
    base = _cut(title, META_TITLE_MAX)
    if brand and brand.lower() not in base.lower() and len(base) + len(brand) + 3 <= META_TITLE_MAX:
        return f"{base} | {brand}"
    return base


def meta_description(*, description: str, bullets: list[str]) -> str:
    """A meta description of at most 155 characters from the description (or the bullets), tags removed."""
    return _cut(description or " · ".join(bullets), META_DESCRIPTION_MAX)
