"""Language checks without a model: a script-based detector (plus function words for Latin-script languages)
flags a field in the wrong language, mixed scripts or look-alike letters, and source text left untranslated.
Do-not-translate terms (glossary, and the brand/model names a listing declares) are masked out first: a Chinese
brand kept as is in a Japanese or Arabic title is the rule being followed, not a finding."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

import yaml

from xborder.kernel import Finding
from xborder.localization.checks.base import PreparedListing, QaContext, finding
from xborder.localization.text import SCRIPT_PATTERNS, expected_scripts, model_numbers, normalize, script_counts

__all__ = ["CHECKS", "detect_language", "mixed_scripts", "protected_terms", "untranslated_source_text",
           "wrong_language"]

_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
_HOMOGLYPH_WORD = re.compile(r"\b(?=[^\W\d_]*[A-Za-z])(?=[^\W\d_]*[\u0400-\u04ff\u0370-\u03ff])[^\W\d_]{2,}\b")
_EQUIVALENT = {"id": {"ms"}, "ms": {"id"}, "pt": {"es"}, "es": {"pt"}}  # too close to tell apart by function words
_MIN_WORDS = 6


@cache
def _stopwords() -> dict[str, frozenset[str]]:
    raw = yaml.safe_load(resources.files("xborder.localization").joinpath("data/stopwords.yaml").read_text("utf-8"))
    return {lang: frozenset(str(w) for w in words) for lang, words in raw["languages"].items()}


@lru_cache(maxsize=65536)
def _not_japanese(char: str) -> bool:
    """Simplified-Chinese forms (节, 电, 质) cannot be written in Japanese (not in the JIS sets behind cp932)."""
    try:
        char.encode("cp932")
    except UnicodeEncodeError:
        return True
    return False


@lru_cache(maxsize=65536)
def _chinese_only(text: str) -> str:
    return "".join(c for c in SCRIPT_PATTERNS["Hani"].findall(text) if _not_japanese(c))


@lru_cache(maxsize=65536)
def detect_language(text: str) -> str | None:
    """Best guess of the language of `text` from its scripts and, for Latin text, its function words."""
    counts = script_counts(text)
    if not counts:
        return None
    if counts.get("Hira", 0) + counts.get("Kana", 0) > 0:
        return "ja"
    if counts.get("Hang"):
        return "ko"
    dominant = max(counts, key=lambda k: counts[k])
    by_script = {"Hani": "zh", "Arab": "ar", "Hebr": "he", "Thai": "th", "Cyrl": "ru", "Grek": "el", "Deva": "hi"}
    if dominant != "Latn":
        return by_script.get(dominant)
    words = [w.lower() for w in _WORDS.findall(text)]
    if len(words) < _MIN_WORDS:
        return None
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _stopwords().items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 2 else None


def _base(language: str) -> str:
    return language.split("-")[0].lower()


def protected_terms(listing: PreparedListing, ctx: QaContext) -> tuple[str, ...]:
    """The do-not-translate terms for this listing in this market: glossary entries plus the listing's declared
    brand/model names, normalized like field text, longest first (so 'Sonic Pro' masks before 'Sonic')."""
    terms = {normalize(t).strip() for t in (*ctx.glossary.protected_terms(), *listing.listing.protected_terms)}
    return tuple(sorted((t for t in terms if t), key=lambda t: (-len(t), t)))


@lru_cache(maxsize=1024)
def _mask_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of the terms; whole words where a term starts/ends with a Latin letter or digit."""
    if not terms:
        return None
    parts = []
    for term in terms:
        escaped = re.escape(term)
        if re.match(r"[A-Za-z0-9]", term[0]):
            escaped = rf"(?<![A-Za-z0-9]){escaped}"
        if re.match(r"[A-Za-z0-9]", term[-1]):
            escaped = rf"{escaped}(?![A-Za-z0-9])"
        parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


def _without_model_numbers(text: str) -> str:
    for token in model_numbers(text):
        text = re.sub(re.escape(token), " ", text, flags=re.IGNORECASE)
    return text


@lru_cache(maxsize=65536)
def _masked(text: str, terms: tuple[str, ...]) -> str:
    pattern = _mask_pattern(terms)
    return pattern.sub(" ", text) if pattern is not None and text else text


def wrong_language(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """A field reads as another language than the listing's (Chinese left in a Japanese listing, English in German)."""
    target = _base(listing.language)
    found = []
    for field in listing.fields:
        if field.name == "keywords" or len(field.text.strip()) < 4:
            continue
        expected = expected_scripts(listing.language)
        scripts = field.scripts
        letters = sum(scripts.values())
        if not letters:
            continue
        detected = detect_language(field.text)
        if target == "ja" and detected == "zh" and _chinese_only(field.text):
            detected = "zh"
        elif target == "ja" and detected == "zh":
            detected = None  # kanji-only Japanese (e.g. a short title) is still Japanese
        if detected is None or detected == target or detected in _EQUIVALENT.get(target, set()):
            continue
        if "Latn" not in expected and detected not in _stopwords() and set(scripts) <= expected | {"Latn"}:
            continue
        if "Latn" not in expected and set(scripts) == {"Latn"} and len(_WORDS.findall(field.text)) < 3:
            continue  # a brand or model name alone
        found.append(finding(ctx, "wrong_language", field.name, detected=detected, expected=target))
    return found


def mixed_scripts(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Letters of a script the language does not use inside a field, or Latin words with Cyrillic/Greek look-alikes."""
    expected = expected_scripts(listing.language) | {"Latn"}
    terms = protected_terms(listing, ctx)
    found = []
    for field in listing.fields:
        text = _masked(field.text, terms)
        homoglyph = _HOMOGLYPH_WORD.search(text)
        if homoglyph and not {"Cyrl", "Grek"} & expected_scripts(listing.language):
            found.append(finding(ctx, "mixed_scripts", field.name, severity=None, script="homoglyph",
                                 sample=homoglyph.group(0)))
            continue
        scripts = script_counts(text) if terms else field.scripts
        foreign = [s for s in scripts if s not in expected]
        if _base(listing.language) == "ja":
            chinese = _chinese_only(text)
            if chinese and (scripts.get("Hira", 0) + scripts.get("Kana", 0)) > 0:
                found.append(finding(ctx, "mixed_scripts", field.name, script="Hans",
                                     sample=chinese[:10]))
                continue
        if foreign and sum(scripts[s] for s in foreign) < sum(scripts.values()):
            sample = "".join(SCRIPT_PATTERNS[foreign[0]].findall(text))[:10]
            found.append(finding(ctx, "mixed_scripts", field.name, script=foreign[0], sample=sample))
    return found


def untranslated_source_text(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """The field is the source copied unchanged, or still carries a run of source-language text."""
    source_language = listing.source_language
    if not source_language or _base(source_language) == _base(listing.language):
        return []
    found = []
    target_scripts = expected_scripts(listing.language)
    terms = protected_terms(listing, ctx)
    for field in listing.fields:
        if not field.source or not field.text.strip():
            continue
        text, source = _masked(field.text, terms).strip(), _masked(field.source, terms).strip()
        if not script_counts(_without_model_numbers(text)):
            continue  # nothing but do-not-translate terms, model numbers and digits: unchanged on purpose
        if text == source:
            found.append(finding(ctx, "untranslated_source_text", field.name, sample=field.text.strip()[:30]))
            continue
        leftover = ""
        source_only = expected_scripts(source_language) - target_scripts - {"Latn"}
        for script in source_only:
            run = "".join(SCRIPT_PATTERNS[script].findall(text))
            if len(run) >= 2:
                leftover = run
                break
        if not leftover and _base(listing.language) == "ja" and _base(source_language) == "zh":
            leftover = _longest_copied_run(source, text)
        if leftover:
            found.append(finding(ctx, "untranslated_source_text", field.name, sample=leftover[:30]))
    return found


def _longest_copied_run(source: str, target: str, size: int = 4) -> str:
    """A run of `size` Chinese-only characters copied from the source into Japanese text."""
    if not _chinese_only(target):
        return ""
    chars = SCRIPT_PATTERNS["Hani"]
    for start in range(0, max(len(source) - size + 1, 0)):
        window = source[start:start + size]
        if len(chars.findall(window)) == size and any(_not_japanese(c) for c in window) and window in target:
            return window
    return ""


CHECKS = (wrong_language, mixed_scripts, untranslated_source_text)
