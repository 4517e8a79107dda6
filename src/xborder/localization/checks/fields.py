"""Marketplace field rules per channel (channels/<name>.yaml): required fields, lengths in characters or bytes,
item counts, forbidden or once-only characters, repeated words, promotional phrases and HTML."""

from __future__ import annotations

import re
from collections import Counter

from xborder.kernel import Finding
from xborder.localization.channels import FieldRule
from xborder.localization.checks.base import FieldText, PreparedListing, QaContext, finding

__all__ = ["CHECKS", "field_too_long", "field_too_short", "forbidden_characters", "html_not_allowed",
           "promotional_phrase", "repeated_words", "required_field_missing", "too_many_items"]

_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)[^>]*>")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# words that may repeat in a title (articles, prepositions, conjunctions)
_FUNCTION_WORDS = frozenset({"and", "for", "the", "with", "und", "für", "mit", "der", "die", "das", "les", "des",
                             "pour", "avec", "con", "para", "per", "los", "las", "del", "een", "het", "voor"})


def _rules(listing: PreparedListing, ctx: QaContext, attribute: str) -> list[tuple[FieldText, FieldRule]]:
    if ctx.channel is None:
        return []
    pairs = []
    for field in listing.fields:
        rule = ctx.channel.rule(field.name)
        if rule is not None and getattr(rule, attribute) not in (None, "", []):
            pairs.append((field, rule))
    return pairs


def required_field_missing(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A field the channel requires (title, description) is empty."""
    if ctx.channel is None:
        return []
    present = {f.name.split("[")[0] for f in listing.fields if f.text.strip()}
    return [finding(ctx, "required_field_missing", name, reference=rule.ref, channel=ctx.channel.name)
            for name, rule in ctx.channel.fields.items() if rule.required and name not in present]


def field_too_long(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A field exceeds the channel's character or byte limit (tags are checked one by one)."""
    if ctx.channel is None:
        return []
    found = []
    for field in listing.fields:
        rule = ctx.channel.rule(field.name)
        if rule is None:
            continue
        text = field.raw.strip()
        if rule.max_chars is not None and len(text) > rule.max_chars:
            found.append(finding(ctx, "field_too_long", field.name, reference=rule.ref, length=len(text),
                                 limit=rule.max_chars, unit="characters", channel=ctx.channel.name))
        size = len(text.encode("utf-8"))
        if rule.max_bytes is not None and size > rule.max_bytes:
            found.append(finding(ctx, "field_too_long", field.name, reference=rule.ref, length=size,
                                 limit=rule.max_bytes, unit="bytes", channel=ctx.channel.name))
        if rule.max_item_chars is not None and field.name == "keywords":
            for keyword in listing.listing.keywords:
                if len(keyword.strip()) > rule.max_item_chars:
                    found.append(finding(ctx, "field_too_long", field.name, reference=rule.ref,
                                         length=len(keyword.strip()), limit=rule.max_item_chars,
                                         unit="keyword_characters", keyword=keyword.strip(),
                                         channel=ctx.channel.name))
    return found


def field_too_short(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A field is shorter than the channel's minimum."""
    channel = ctx.channel.name if ctx.channel is not None else ""
    return [finding(ctx, "field_too_short", field.name, reference=rule.ref, length=len(field.raw.strip()),
                    limit=rule.min_chars, channel=channel)
            for field, rule in _rules(listing, ctx, "min_chars")
            if rule.min_chars is not None and field.raw.strip() and len(field.raw.strip()) < rule.min_chars]


def too_many_items(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """More bullet points or tags than the channel accepts."""
    if ctx.channel is None:
        return []
    found = []
    for name, count in (("bullets", len(listing.listing.bullets)), ("keywords", len(listing.listing.keywords))):
        rule = ctx.channel.rule(name)
        if rule is not None and rule.max_items is not None and count > rule.max_items:
            found.append(finding(ctx, "too_many_items", name, reference=rule.ref, count=count, limit=rule.max_items,
                                 channel=ctx.channel.name))
    return found


def forbidden_characters(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Characters the channel rejects in a field, or once-only characters used more than once."""
    found = []
    channel = ctx.channel.name if ctx.channel is not None else ""
    for field, rule in _rules(listing, ctx, "forbidden_characters") + _rules(listing, ctx, "max_once_characters"):
        bad = sorted({c for c in field.raw if c in rule.forbidden_characters})
        counts = Counter(c for c in field.raw if c in rule.max_once_characters)
        bad += sorted(c for c, n in counts.items() if n > 1)
        if bad:
            found.append(finding(ctx, "forbidden_characters", field.name, reference=rule.ref,
                                 characters=" ".join(dict.fromkeys(bad)), channel=channel))
    return list({(f.field, f.message): f for f in found}.values())


def repeated_words(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """The same word appears in a title more often than the channel allows (keyword stuffing)."""
    found = []
    for field, rule in _rules(listing, ctx, "max_word_repeats"):
        counts = Counter(w.lower() for w in _WORD.findall(field.text) if w.lower() not in _FUNCTION_WORDS)
        limit = rule.max_word_repeats or 0
        over = sorted(w for w, n in counts.items() if n > limit)
        if over:
            found.append(finding(ctx, "repeated_words", field.name, reference=rule.ref,
                                 words=", ".join(over), limit=rule.max_word_repeats))
    return found


def promotional_phrase(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A promotional phrase the channel bans in this field ('free shipping', '送料無料')."""
    if ctx.channel is None:
        return []
    found = []
    for field in listing.fields:
        pattern = ctx.channel.phrase_patterns.get(field.name.split("[")[0])
        match = pattern.search(field.text) if pattern is not None else None
        if match:
            found.append(finding(ctx, "promotional_phrase", field.name, reference=ctx.channel.rule(field.name).ref,
                                 phrase=match.group(0), channel=ctx.channel.name))
    return found


def html_not_allowed(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """HTML markup in a field where the channel accepts plain text (or only line breaks)."""
    if ctx.channel is None:
        return []
    found = []
    for field in listing.fields:
        rule = ctx.channel.rule(field.name)
        if rule is None or rule.html == "basic" or "<" not in field.raw:
            continue
        tags = {m.group(2).lower() for m in _TAG.finditer(field.raw)}
        if rule.html == "br_only":
            tags.discard("br")
        if tags:
            found.append(finding(ctx, "html_not_allowed", field.name, reference=rule.ref,
                                 tags=", ".join(sorted(tags)), channel=ctx.channel.name))
    return found


CHECKS = (required_field_missing, field_too_long, field_too_short, too_many_items, forbidden_characters,
          repeated_words, promotional_phrase, html_not_allowed)
