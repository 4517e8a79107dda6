"""Pure text analysis shared by the QA checks: scripts, numbers, measurements, model numbers, placeholders.

Every function is deterministic and cheap (compiled regexes, cached data) because QA runs over tens of thousands of
listings; checks call these helpers instead of re-parsing text themselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from importlib import resources

import yaml

__all__ = [
    "SCRIPT_PATTERNS",
    "Measurement",
    "UnitDef",
    "entity_tokens",
    "expected_scripts",
    "measurements",
    "model_numbers",
    "normalize",
    "number_values",
    "placeholders",
    "script_counts",
    "units",
]

SCRIPT_PATTERNS: dict[str, re.Pattern[str]] = {
    "Hani": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "Hira": re.compile(r"[\u3040-\u309f]"),
    "Kana": re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]"),
    "Hang": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    "Arab": re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"),
    "Hebr": re.compile(r"[\u0591-\u05f4\ufb1d-\ufb4f]"),
    "Thai": re.compile(r"[\u0e01-\u0e5b]"),
    "Cyrl": re.compile(r"[\u0400-\u04ff]"),
    "Grek": re.compile(r"[\u0370-\u03ff]"),
    "Deva": re.compile(r"[\u0900-\u097f]"),
    "Latn": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
}
# ISO 15924 script CLDR gives for a language -> the scripts its text is written in.
_SCRIPT_FAMILIES = {
    "Jpan": frozenset({"Hani", "Hira", "Kana"}),
    "Hans": frozenset({"Hani"}),
    "Hant": frozenset({"Hani"}),
    "Kore": frozenset({"Hang", "Hani"}),
}
_ANY_SCRIPT = re.compile("|".join(p.pattern for p in SCRIPT_PATTERNS.values()))


def normalize(text: str) -> str:
    """NFKC: full-width digits and letters become ASCII, so '１０ｃｍ' and '10cm' compare equal. The full-width
    comma is kept as an enumeration comma: '500毫安，1,5kg' must not read as one number."""
    return unicodedata.normalize("NFKC", (text or "").replace("，", "、"))


@lru_cache(maxsize=65536)
def script_counts(text: str) -> dict[str, int]:
    """How many letters of each script `text` holds (scripts with zero letters are left out). Do not mutate."""
    counts: dict[str, int] = {}
    if text.isascii():
        latin = len(SCRIPT_PATTERNS["Latn"].findall(text))
        return {"Latn": latin} if latin else counts
    if not _ANY_SCRIPT.search(text):
        return counts
    for name, pattern in SCRIPT_PATTERNS.items():
        found = len(pattern.findall(text))
        if found:
            counts[name] = found
    return counts


@cache
def expected_scripts(language: str) -> frozenset[str]:
    """Scripts text in `language` is written in ('ja' -> Hani, Hira, Kana), from CLDR likely subtags."""
    from xborder import reference  # reference data is loaded on first use only

    script = reference.language(language).script or "Latn"
    return _SCRIPT_FAMILIES.get(script, frozenset({script}))


# Numbers: ASCII digits after NFKC, with either ',' or '.' as group or decimal separator.
_NUMBER = re.compile(r"(?<![A-Za-z0-9.,_-])\d+(?:[.,]\d+)*")


def _candidates(token: str) -> frozenset[Decimal]:
    """Every value a written number can mean: '1,500' is 1500 (grouping) or 1.5 (decimal comma)."""
    token = token.replace("\u00a0", " ")
    values: set[Decimal] = set()
    separators = [c for c in token if c in ".,' "]
    try:
        if not separators:
            values.add(Decimal(token))
        elif len(set(separators)) == 1 and len(separators) == 1:
            head, _, tail = token.replace(" ", ",").partition(separators[0] if separators[0] != " " else ",")
            values.add(Decimal(f"{head}.{tail}"))
            if len(tail) == 3:
                values.add(Decimal(head + tail))
        else:
            # several separators: the last distinct one is the decimal mark when it differs from the others
            last = separators[-1]
            if separators.count(last) == 1 and len(set(separators)) > 1:
                head, _, tail = token.rpartition(last)
                values.add(Decimal(re.sub(r"[.,' ]", "", head) + "." + tail))
            else:
                values.add(Decimal(re.sub(r"[.,' ]", "", token)))
    except InvalidOperation:
        return frozenset()
    return frozenset(v.normalize() for v in values)


@lru_cache(maxsize=65536)
def number_values(text: str) -> tuple[frozenset[Decimal], ...]:
    """Each number written in `text` (after NFKC) as the set of values it can mean."""
    return tuple(c for c in (_candidates(m.group(0).strip()) for m in _NUMBER.finditer(text)) if c)


@dataclass(frozen=True, slots=True)
class UnitDef:
    code: str
    dimension: str
    system: str
    factor: Decimal


@dataclass(frozen=True, slots=True)
class Measurement:
    """A number followed by a unit, e.g. '10 cm' -> (10, cm). `start`/`end` index the normalized text."""

    value: Decimal
    unit: UnitDef
    start: int
    end: int

    def to(self, other: UnitDef) -> Decimal:
        """The value expressed in `other` (same dimension); temperature conversions are affine."""
        if self.unit.dimension == "temperature":
            if self.unit.code == other.code:
                return self.value
            if self.unit.code == "degc":
                return self.value * Decimal("1.8") + 32
            return (self.value - 32) / Decimal("1.8")
        return self.value * self.unit.factor / other.factor


@cache
def units() -> tuple[dict[str, UnitDef], re.Pattern[str]]:
    """The unit table (data/units.yaml) and one regex matching '<number> <unit>' for every alias."""
    raw = yaml.safe_load(resources.files("xborder.localization").joinpath("data/units.yaml").read_text("utf-8"))
    by_alias: dict[str, UnitDef] = {}
    for code, spec in raw["units"].items():
        unit = UnitDef(code, spec["dimension"], spec["system"], Decimal(spec["factor"]))
        for alias in spec["aliases"]:
            by_alias[str(alias)] = unit
    aliases = sorted(by_alias, key=len, reverse=True)
    alternation = "|".join(re.escape(a) for a in aliases)
    # Latin aliases must end at a word boundary ('5 m' but not '5 months'); '2 in 1' is not inches.
    pattern = re.compile(r"(?<![A-Za-z0-9.,_-])(?P<tuple>(?:\d+(?:[.,]\d+)?\s*[x×*]\s*){0,2})"
                         r"(?P<num>\d+(?:[.,]\d+)?)\s?(?P<unit>" + alternation + r")(?![A-Za-z])")
    return by_alias, pattern


@lru_cache(maxsize=65536)
def measurements(text: str) -> tuple[Measurement, ...]:
    """Every '<number> <unit>' in NFKC-normalized `text`, in order. '2 in 1' is not read as inches."""
    by_alias, pattern = units()
    found: list[Measurement] = []
    for match in pattern.finditer(text):
        number, alias = match.group("num"), match.group("unit")
        unit = by_alias.get(alias)
        if unit is None:
            continue
        if alias == "in" and re.match(r"\s*\d", text[match.end():]):
            continue
        # '10 x 5 x 3 cm': every number of the tuple carries the unit
        for part in [*re.findall(r"\d+(?:[.,]\d+)?", match.group("tuple") or ""), number]:
            try:
                value = Decimal(part.replace(",", "."))
            except InvalidOperation:
                continue
            found.append(Measurement(value, unit, match.start(), match.end()))
    return tuple(found)


# A model number mixes letters and digits (SY-BT500, A2B3, WH-1000XM5); pure words or numbers are not.
_MODEL = re.compile(r"(?<![A-Za-z0-9_-])(?=[\w-]*[A-Za-z])(?=[\w-]*\d)"
                    r"[A-Za-z0-9]+(?:[-_/][A-Za-z0-9]+)*(?![A-Za-z0-9_-])")
_UNIT_LIKE = re.compile(r"^\d+(?:[.,]\d+)?[A-Za-z]{1,4}$")


@lru_cache(maxsize=65536)
def model_numbers(text: str) -> frozenset[str]:
    """Tokens shaped like model or part numbers, upper-cased; '10cm', '5W' and '4K' style unit tokens excluded."""
    found = set()
    for match in _MODEL.finditer(text):
        token = match.group(0)
        if len(token) < 3 or _UNIT_LIKE.match(token):
            continue
        found.add(token.upper())
    return frozenset(found)


_ENTITY = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]+")


@lru_cache(maxsize=65536)
def entity_tokens(text: str) -> frozenset[str]:
    """Capitalised Latin-script words ('Bluetooth', 'Apple'): named entities when the surrounding text is in another
    script, where they should survive translation unchanged."""
    return frozenset(m.group(0) for m in _ENTITY.finditer(text))


_PLACEHOLDER = re.compile(r"\{\{\s*[\w.]+\s*\}\}|\{[\w.]*\}|%(?:\([\w]+\))?[sdif]|\[\[[\w.]+\]\]|\$\{[\w.]+\}")


@lru_cache(maxsize=65536)
def placeholders(text: str) -> tuple[str, ...]:
    """Template placeholders ({name}, {{name}}, %s, %(name)s, [[name]], ${name}) in order of appearance."""
    return tuple(re.sub(r"\s+", "", m.group(0)) for m in _PLACEHOLDER.finditer(text))
