"""In-memory translation-memory index for one organization and language pair: exact matches by normalized text and
fuzzy matches with a 0-100 score (rapidfuzz), fast at a million segments.

Fuzzy lookup is two-stage: character n-gram postings (numpy CSR) pick candidates sharing the query's rarest grams,
then rapidfuzz scores only those. Recall is therefore approximate for very distant matches, exact for close ones.
Adds go to a small pending buffer scanned directly until it is merged.

References: Ukkonen (1992), "Approximate string-matching with q-grams and maximal matches" (q-gram filtering).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

__all__ = ["IndexedMatch", "TmIndex", "normalize_segment"]

_SPACES = re.compile(r"\s+")
_RAREST_GRAMS = 12
_CANDIDATES = 64
_PENDING_LIMIT = 4096


def normalize_segment(text: str) -> str:
    """The key exact matches use: NFKC, lower case, single spaces, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().lower()


def _grams(text: str) -> set[str]:
    # scripts without spaces (CJK) carry more meaning per character: bigrams there, trigrams elsewhere
    size = 2 if sum(1 for c in text if ord(c) > 0x2E80) * 2 > len(text) else 3
    padded = f" {text} "
    return {padded[i:i + size] for i in range(max(len(padded) - size + 1, 1))}


@dataclass(frozen=True, slots=True)
class IndexedMatch:
    key: int
    score: float


class TmIndex:
    """Segments are identified by an integer `key` chosen by the caller (e.g. a row number)."""

    def __init__(self) -> None:
        self._texts: list[str] = []
        self._keys: list[int] = []
        self._exact: dict[str, list[int]] = {}
        self._gram_ids: dict[str, int] = {}
        self._offsets = np.zeros(1, dtype=np.int64)
        self._postings = np.zeros(0, dtype=np.int32)
        self._lengths = np.zeros(0, dtype=np.int32)
        self._indexed = 0  # documents [0, _indexed) are in the postings; the rest are pending

    def __len__(self) -> int:
        return len(self._texts)

    def add(self, key: int, source_text: str) -> None:
        text = normalize_segment(source_text)
        position = len(self._texts)
        self._texts.append(text)
        self._keys.append(key)
        self._exact.setdefault(text, []).append(position)
        if len(self._texts) - self._indexed > _PENDING_LIMIT:
            self.build()

    def add_many(self, items: list[tuple[int, str]]) -> None:
        for key, text in items:
            normalized = normalize_segment(text)
            self._exact.setdefault(normalized, []).append(len(self._texts))
            self._texts.append(normalized)
            self._keys.append(key)
        self.build()

    def build(self) -> None:
        """(Re)build the postings over every document; pending documents become indexed."""
        gram_ids = self._gram_ids
        keys = array("q")
        for doc, text in enumerate(self._texts):
            for gram in _grams(text):
                gid = gram_ids.get(gram)
                if gid is None:
                    gid = gram_ids[gram] = len(gram_ids)
                keys.append((gid << 32) | doc)
        packed = np.frombuffer(keys, dtype=np.int64).copy()
        packed.sort()
        grams = (packed >> 32).astype(np.int64)
        self._postings = (packed & 0xFFFFFFFF).astype(np.int32)
        self._offsets = np.searchsorted(grams, np.arange(len(gram_ids) + 1, dtype=np.int64)).astype(np.int64)
        self._lengths = np.fromiter((len(t) for t in self._texts), dtype=np.int32, count=len(self._texts))
        self._indexed = len(self._texts)

    def exact(self, source_text: str) -> list[int]:
        return [self._keys[i] for i in self._exact.get(normalize_segment(source_text), [])]

    def search(self, source_text: str, *, limit: int = 5, min_score: float = 70.0) -> list[IndexedMatch]:
        """Best matches by score (100 = identical after normalization), at most `limit`, none below `min_score`."""
        query = normalize_segment(source_text)
        if not query:
            return []
        scores: dict[int, float] = {}
        for position in self._exact.get(query, []):
            scores[position] = 100.0
        for position in self._candidates(query):
            if position not in scores:
                scores[position] = fuzz.ratio(query, self._texts[position])
        pending = self._texts[self._indexed:]
        if pending:
            for _, score, offset in process.extract(query, pending, scorer=fuzz.ratio, limit=limit,
                                                    score_cutoff=min_score):
                scores[self._indexed + offset] = max(scores.get(self._indexed + offset, 0.0), score)
        ranked = sorted(((s, p) for p, s in scores.items() if s >= min_score), key=lambda sp: (-sp[0], sp[1]))
        return [IndexedMatch(self._keys[p], round(s, 1)) for s, p in ranked[:limit]]

    def _candidates(self, query: str) -> list[int]:
        if self._indexed == 0:
            return []
        ids = [self._gram_ids[g] for g in _grams(query) if g in self._gram_ids]
        if not ids:
            return []
        gids = np.asarray(ids, dtype=np.int64)
        frequency = self._offsets[gids + 1] - self._offsets[gids]
        rarest = gids[np.argsort(frequency, kind="stable")[:_RAREST_GRAMS]]
        chunks = [self._postings[self._offsets[g]:self._offsets[g + 1]] for g in rarest]
        hits = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
        if hits.size == 0:
            return []
        docs, counts = np.unique(hits, return_counts=True)
        # a close match is about as long as the query: drop candidates whose length ratio rules out the cutoff
        lengths = self._lengths[docs]
        keep = (lengths >= len(query) * 0.5) & (lengths <= len(query) * 2)
        docs, counts = docs[keep], counts[keep]
        if docs.size > _CANDIDATES:
            top = np.argpartition(-counts, _CANDIDATES)[:_CANDIDATES]
            docs = docs[top]
        return [int(d) for d in docs]
