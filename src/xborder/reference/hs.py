"""HS 2022 nomenclature: sections, chapters, headings and subheadings with English and Chinese descriptions.

Use `hs_validate` for user input (accepts national 6-10 digit codes), `hs_lookup` for exact codes;
word search lives in `hs_search`.
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from xborder.kernel import NotFound
from xborder.reference._errors import invalid, not_found

__all__ = ["HsEntry", "hs_children", "hs_entries", "hs_lookup", "hs_path", "hs_sections", "hs_validate"]

HsLevel = Literal[0, 2, 4, 6]
_SECTION = re.compile(r"^[IVX]{1,5}$")
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True, slots=True)
class HsEntry:
    """One node of the nomenclature.

    `level` is 2 (chapter), 4 (heading) or 6 (subheading); sections use level 0 and their roman numeral as `code`.
    `description_zh` is None where xborder has no Chinese text for the node.
    """

    code: str
    level: HsLevel
    description_en: str
    description_zh: str | None
    parent: str | None
    section: str


@dataclass(frozen=True, slots=True)
class _Nomenclature:
    entries: dict[str, HsEntry]
    children: dict[str, tuple[str, ...]]
    sections: tuple[str, ...]


def _data_text(name: str) -> str:
    raw = resources.files("xborder.reference").joinpath(f"data/{name}").read_bytes()
    return (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")


def _csv_rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in _data_text(name).splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def _nomenclature() -> _Nomenclature:
    zh = {row["code"]: row["description_zh"] for row in _csv_rows("hs_zh.csv")}
    entries: dict[str, HsEntry] = {}
    children: dict[str, list[str]] = {}
    sections: list[str] = []
    for row in _csv_rows("hs_sections.csv"):
        numeral = row["section"]
        sections.append(numeral)
        entries[numeral] = HsEntry(numeral, 0, row["name"], zh.get(numeral), None, numeral)
    for row in _csv_rows("hs2022.csv.gz"):
        code, level = row["code"], int(row["level"])
        parent = row["parent"] or row["section"]
        entries[code] = HsEntry(code, level, row["description"], zh.get(code), parent, row["section"])  # type: ignore[arg-type]
        children.setdefault(parent, []).append(code)
    return _Nomenclature(entries, {k: tuple(v) for k, v in children.items()}, tuple(sections))


def _normalize(code: str) -> str:
    text = _SEPARATORS.sub("", str(code or "")).upper()
    return text


def hs_entries() -> list[HsEntry]:
    """Every chapter, heading and subheading in code order (sections excluded)."""
    return [e for e in _nomenclature().entries.values() if e.level]


def hs_sections() -> list[HsEntry]:
    """The 21 sections (level 0) in order I..XXI."""
    nomenclature = _nomenclature()
    return [nomenclature.entries[s] for s in nomenclature.sections]


def hs_lookup(code: str) -> HsEntry | None:
    """The entry for an exact code ("8518", "8518.30", "XVI"), or None when there is none."""
    return _nomenclature().entries.get(_normalize(code))


def hs_validate(code: str, *, field: str = "hs_code") -> HsEntry:
    """Check a product's HS or national tariff code (6 to 10 digits) against HS 2022.

    Returns the 6-digit HS 2022 subheading the code falls under.

    Raises:
        ValidationFailed: not 6-10 digits, or its 6-digit prefix is not an HS 2022 subheading.
    """
    text = _normalize(code)
    if not text.isdigit() or not 6 <= len(text) <= 10:
        if text.isdigit() and len(text) in (2, 4) and text in _nomenclature().entries:
            raise invalid(field, f"{text} is an HS chapter or heading; give at least the 6-digit subheading",
                          code="reference.hs_code_too_short")
        raise invalid(field, f"{code!r} is not an HS code (6 to 10 digits, e.g. 8518.30)",
                      code="reference.invalid_hs_code")
    entry = _nomenclature().entries.get(text[:6])
    if entry is None or entry.level != 6:
        raise invalid(field, f"{text} is not an HS 2022 code", code="reference.unknown_hs_code")
    return entry


def _require(code: str) -> HsEntry:
    entry = hs_lookup(code)
    if entry is None:
        raise not_found("hs_code", f"{code!r} is not an HS 2022 section, chapter, heading or subheading",
                        code="reference.unknown_hs_code")
    return entry


def hs_children(code: str) -> list[HsEntry]:
    """Direct children in code order: section -> chapters, chapter -> headings, heading -> subheadings.

    Raises:
        NotFound: `code` is not in the nomenclature.
    """
    entry = _require(code)
    nomenclature = _nomenclature()
    return [nomenclature.entries[c] for c in nomenclature.children.get(entry.code, ())]


def hs_path(code: str) -> list[HsEntry]:
    """The chain from section down to `code` (section, chapter, heading, subheading).

    National codes of 8-10 digits resolve to their 6-digit subheading.

    Raises:
        NotFound: neither `code` nor its 6-digit prefix is in the nomenclature.
    """
    text = _normalize(code)
    entry = hs_lookup(text[:6] if text.isdigit() and len(text) > 6 else text)
    if entry is None:
        raise _not_found(code)
    chain = [entry]
    entries = _nomenclature().entries
    while chain[-1].parent is not None:
        chain.append(entries[chain[-1].parent])
    return chain[::-1]


def _not_found(code: str) -> NotFound:
    return not_found("hs_code", f"{code!r} is not an HS 2022 code", code="reference.unknown_hs_code")
