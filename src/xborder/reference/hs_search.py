"""Ranked HS 2022 search by code prefix, English words or Chinese text, with alias and synonym tables as data.

Scoring is BM25 over each heading/subheading's own text, its parent heading's text (down-weighted) and the
product-name aliases pointing at it, plus a bonus when a whole alias phrase ("bluetooth earphones", 充电宝) is in
the query. The index is built lazily once per process.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from rapidfuzz import process

from xborder.reference._errors import invalid
from xborder.reference._text import en_tokens, normalize, zh_grams, zh_runs
from xborder.reference.hs import HsEntry, hs_entries

__all__ = ["HsHit", "hs_search"]

MatchKind = Literal["code", "alias", "text"]

_K1, _B = 1.2, 0.5
_PARENT_WEIGHT = 0.35
_CHAPTER_ZH_WEIGHT = 0.3
_UNIGRAM_QUERY_WEIGHT = 0.3  # a subheading like "Other" is only findable through its heading's words
_ALIAS_FIELD_WEIGHT = 1.2
_SYNONYM_WEIGHT = 0.6
_FUZZY_WEIGHT = 0.7
_ALIAS_BONUS = 15.0
_HEADING_SHARE = 0.9  # an alias on a subheading lifts its heading to just below it
_HMRC_WEIGHT = 0.8
_MAX_LIMIT = 100
_CODE_QUERY = re.compile(r"^[0-9][0-9\s.\-]*$")
_CODE_TOKEN = re.compile(r"^[0-9]{2}(?:[0-9.\-]*[0-9])?$")


@dataclass(frozen=True, slots=True)
class HsHit:
    """One search result. `score` is comparable within one query only; `match` says what found it."""

    code: str
    level: int
    description_en: str
    description_zh: str | None
    parent: str | None
    score: float
    match: MatchKind


@dataclass(frozen=True, slots=True)
class _Alias:
    code: str
    weight: float
    en: frozenset[str]
    zh: str


@dataclass
class _Index:
    entries: dict[str, HsEntry]
    postings: dict[str, list[tuple[int, float]]]
    doc_codes: list[str]
    doc_len: list[float]
    avg_len: float
    idf: dict[str, float]
    aliases: list[_Alias]
    alias_by_token: dict[str, list[int]]
    synonyms: dict[str, set[str]]
    vocabulary: dict[str, list[str]]


def _rows(name: str) -> list[dict[str, str]]:
    raw = resources.files("xborder.reference").joinpath(f"data/{name}").read_bytes()
    text = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#")))


def _compact(text: str) -> str:
    return "".join(normalize(text).split())


def _load_aliases(entries: dict[str, HsEntry]) -> list[_Alias]:
    aliases: list[_Alias] = []
    for row in _rows("hs_aliases.csv"):
        if row["code"] not in entries:
            raise ValueError(f"hs_aliases.csv: {row['code']} is not an HS 2022 code")  # data bug, fail loudly
        phrase, weight = row["phrase"], float(row["weight"])
        if row["lang"] == "zh":
            # Chinese names match as substrings of the space-free query, so mixed names like "T恤" and "USB线" work
            aliases.append(_Alias(row["code"], weight, frozenset(), _compact(phrase)))
        else:
            aliases.append(_Alias(row["code"], weight, frozenset(en_tokens(phrase)), ""))
    for row in _rows("hmrc_search_references.csv.gz"):
        tokens = frozenset(en_tokens(row["phrase"]))
        if tokens and row["hs6"] in entries:
            aliases.append(_Alias(row["hs6"], _HMRC_WEIGHT, tokens, ""))
    return aliases


def _load_synonyms() -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for row in _rows("hs_synonyms.csv"):
        words = {token for word in row["group"].split() for token in en_tokens(word)}
        for word in words:
            groups[word] |= words - {word}
    return dict(groups)


@cache
def _index() -> _Index:
    entries = {e.code: e for e in hs_entries()}
    aliases = _load_aliases(entries)
    alias_terms: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for alias in aliases:
        terms = list(alias.en) + en_tokens(alias.zh) + zh_grams(alias.zh, unigrams=True)
        for term in terms:
            # max, not sum: twenty phone aliases must not make "phone" outweigh the whole description
            alias_terms[alias.code][term] = max(alias_terms[alias.code][term], alias.weight)

    own = {code: _own_terms(entry) for code, entry in entries.items()}
    doc_codes: list[str] = []
    doc_len: list[float] = []
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for entry in entries.values():
        if entry.level not in (4, 6):
            continue
        bag: dict[str, float] = defaultdict(float, own[entry.code])
        parent = entries.get(entry.parent or "")
        if entry.level == 6 and parent is not None:
            for term, weight in own[parent.code].items():
                bag[term] += _PARENT_WEIGHT * weight
        chapter = entries.get(entry.code[:2])
        if chapter and chapter.description_zh and not entry.description_zh and not (parent and parent.description_zh):
            # untranslated headings stay findable in Chinese through their chapter title (faintly)
            for gram in zh_grams(chapter.description_zh, unigrams=True):
                bag[gram] += _CHAPTER_ZH_WEIGHT
        for term, weight in alias_terms.get(entry.code, {}).items():
            bag[term] += _ALIAS_FIELD_WEIGHT * weight
        doc_id = len(doc_codes)
        doc_codes.append(entry.code)
        doc_len.append(sum(bag.values()))
        for term, tf in bag.items():
            postings[term].append((doc_id, tf))
    n = len(doc_codes)
    idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
    alias_by_token: dict[str, list[int]] = defaultdict(list)
    for i, alias in enumerate(aliases):
        for key in alias.en or {alias.zh[:1]}:
            alias_by_token[key].append(i)
    # fuzzy matching only compares words with the same first letter: typos rarely hit it, and it is 20x faster
    vocabulary: dict[str, list[str]] = defaultdict(list)
    for term in sorted(postings):
        if not term.startswith(("z:", "u:")) and len(term) >= 4:
            vocabulary[term[0]].append(term)
    return _Index(entries, dict(postings), doc_codes, doc_len, sum(doc_len) / n, idf, aliases,
                  dict(alias_by_token), _load_synonyms(), dict(vocabulary))


def _own_terms(entry: HsEntry) -> dict[str, float]:
    bag: dict[str, float] = defaultdict(float)
    for token in en_tokens(entry.description_en):
        bag[token] += 1.0
    if entry.description_zh:
        for gram in zh_grams(entry.description_zh, unigrams=True):
            # unigrams are kept faint: they only matter for one-character queries such as 鞋
            bag[gram] += 0.2 if gram.startswith("u:") else 1.0
    return bag


def _resolve(index: _Index, words: list[str]) -> dict[str, float]:
    """Map query words to indexed terms with a weight; unknown words go to their nearest indexed word."""
    resolved: dict[str, float] = {}
    for word in words:
        if word in index.postings:
            resolved[word] = 1.0
        elif len(word) >= 4:
            # typo tolerance ("bluetoth", "headphnes"): nearest indexed word, if close enough
            best = process.extractOne(word, index.vocabulary.get(word[0], ()), score_cutoff=85)
            if best is not None:
                resolved.setdefault(best[0], _FUZZY_WEIGHT)
    return resolved


def _query_terms(index: _Index, words: dict[str, float], text: str) -> dict[str, float]:
    terms = dict(words)
    for word in words:
        for synonym in index.synonyms.get(word, ()):
            terms.setdefault(synonym, _SYNONYM_WEIGHT)
    for gram in zh_grams(text):
        terms[gram] = 1.0
    return terms


def _bm25(index: _Index, terms: dict[str, float], allowed: str | None) -> dict[str, float]:
    scores: dict[int, float] = defaultdict(float)
    for term, qweight in terms.items():
        idf = index.idf.get(term)
        if idf is None:
            continue
        for doc_id, tf in index.postings[term]:
            norm = _K1 * (1 - _B + _B * index.doc_len[doc_id] / index.avg_len)
            scores[doc_id] += qweight * idf * tf * (_K1 + 1) / (tf + norm)
    result = {index.doc_codes[d]: s for d, s in scores.items()}
    if allowed:
        result = {c: s for c, s in result.items() if c.startswith(allowed)}
    return result


def _alias_bonus(index: _Index, words: set[str], text: str) -> dict[str, float]:
    compact = _compact(text)
    zh_len = sum(len(run) for run in zh_runs(text))
    candidates: set[int] = set()
    for word in words:
        candidates.update(index.alias_by_token.get(word, ()))
    for char in set(compact):
        candidates.update(index.alias_by_token.get(char, ()))
    matched: list[tuple[_Alias, float]] = []
    for i in candidates:
        alias = index.aliases[i]
        if alias.zh:
            if alias.zh not in compact:
                continue
            coverage = len(alias.zh) / len(compact)
        else:
            if not alias.en <= words:
                continue
            coverage = len(alias.en) / (len(words) + zh_len)
        matched.append((alias, coverage))
    best: dict[str, float] = {}
    for alias, coverage in matched:
        if any(_inside(alias, other) for other, _ in matched):
            continue  # "phone" inside "phone case": the longer name decides
        bonus = _ALIAS_BONUS * alias.weight * coverage
        _raise(best, alias.code, bonus)
        parent = index.entries[alias.code].parent
        if index.entries[alias.code].level == 6 and parent:
            _raise(best, parent, bonus * _HEADING_SHARE)
    return best


def _inside(alias: _Alias, other: _Alias) -> bool:
    if alias.zh or other.zh:
        return bool(alias.zh and other.zh and alias.zh != other.zh and alias.zh in other.zh)
    return alias.en < other.en


def _raise(scores: dict[str, float], code: str, value: float) -> None:
    if value > scores.get(code, 0.0):
        scores[code] = value


def _code_hits(index: _Index, prefix: str, limit: int) -> list[HsHit]:
    exact = index.entries.get(prefix)
    codes = sorted(c for c in index.entries if c.startswith(prefix) and c != prefix)
    ranked = ([exact] if exact else []) + [index.entries[c] for c in codes]
    hits = []
    for rank, entry in enumerate(ranked[:limit]):
        score = 100.0 if entry is exact else 90.0 - len(entry.code) - rank * 0.01
        hits.append(_hit(entry, score, "code"))
    return hits


def _hit(entry: HsEntry, score: float, match: MatchKind) -> HsHit:
    return HsHit(entry.code, entry.level, entry.description_en, entry.description_zh, entry.parent,
                 round(score, 3), match)


def hs_search(text: str, *, limit: int = 10) -> list[HsHit]:
    """Rank headings and subheadings for a code prefix ("8518", "8518.30"), English words or Chinese text.

    A query mixing a code and words ("85 earphones") ranks the words within that code prefix.

    Raises:
        ValidationFailed: empty query, or `limit` outside 1..100.
    """
    if not isinstance(limit, int) or not 1 <= limit <= _MAX_LIMIT:
        raise invalid("limit", f"{limit!r} must be between 1 and {_MAX_LIMIT}", code="reference.invalid_limit")
    query = normalize(text).strip()
    if not query:
        raise invalid("text", "search text is empty; give words or an HS code", code="reference.empty_query")
    index = _index()
    if _CODE_QUERY.match(query):
        digits = re.sub(r"[^0-9]", "", query)
        return _code_hits(index, digits[:6], limit)

    prefix = ""
    parts = []
    for part in query.split():
        if _CODE_TOKEN.match(part) and not prefix:
            prefix = re.sub(r"[^0-9]", "", part)[:6]
        else:
            parts.append(part)
    rest = " ".join(parts)
    words = _resolve(index, en_tokens(rest))
    scores = _bm25(index, _query_terms(index, words, rest), prefix or None)
    bonus = _alias_bonus(index, set(words), rest)
    kinds: dict[str, MatchKind] = {}
    for code, value in bonus.items():
        if prefix and not code.startswith(prefix):
            continue
        scores[code] = scores.get(code, 0.0) + value
        kinds[code] = "alias"
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [_hit(index.entries[code], score, kinds.get(code, "text")) for code, score in ranked]
