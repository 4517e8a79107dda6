"""Text normalization for HS search: light English stemming and Chinese character n-grams.

Chinese uses character bigrams rather than jieba so the index builds in well under a second (jieba's
dictionary load alone takes about 0.8 s here) and needs no cache directory.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_STOP = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on",
    "or", "other", "others", "than", "that", "the", "their", "them", "thereof", "therefor", "this", "to", "with",
    "whether", "not", "nor", "nec", "no", "heading", "headings", "item", "items", "chapter", "subheading", "kind",
    "used", "excluding", "including", "incl", "such", "like", "similar", "etc",
})
_IRREGULAR = {"knives": "knife", "leaves": "leaf", "shelves": "shelf", "women": "woman", "men": "man",
              "children": "child", "feet": "foot", "teeth": "tooth", "mice": "mouse", "dice": "die"}


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


@cache
def stem(word: str) -> str:
    """Fold plurals and a few verb endings so "batteries" ~ "battery", "dryers" ~ "dryer", "boxes" ~ "box"."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def en_tokens(text: str) -> list[str]:
    """Stemmed English tokens; a hyphenated word yields its joined form and its parts ("t-shirts" -> tshirt, shirt)."""
    out: list[str] = []
    for match in _WORD.finditer(normalize(text)):
        word = match.group()
        pieces = [word.replace("-", "")] + (word.split("-") if "-" in word else [])
        for piece in pieces:
            if len(piece) < 2 or piece in _STOP:
                continue
            out.append(stem(piece))
    return out


def zh_runs(text: str) -> list[str]:
    """Runs of consecutive CJK characters."""
    return _CJK.findall(normalize(text))


def zh_grams(text: str, *, unigrams: bool = False) -> list[str]:
    """Character bigrams of every CJK run (prefixed "z:"); single-character runs, or all characters when
    `unigrams` is set, also yield unigrams (prefixed "u:")."""
    out: list[str] = []
    for run in zh_runs(text):
        out.extend(f"z:{run[i:i + 2]}" for i in range(len(run) - 1))
        if unigrams or len(run) == 1:
            out.extend(f"u:{ch}" for ch in run)
    return out
