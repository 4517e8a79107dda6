"""Glossary file formats (pure): CSV (term, kind, language, translation, source_language, market, note) and TBX
(TBX-Basic / ISO 30042 concept entries). Whole file or nothing: every problem is reported with its row or entry."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from xborder import catalog
from xborder.kernel import ErrorDetail, ValidationFailed, country_code, language_tag
from xborder.localization.termbase import TermEntry

__all__ = ["GLOSSARY_COLUMNS", "read_glossary_csv", "read_tbx"]

GLOSSARY_COLUMNS = ("term", "kind", "language", "translation", "source_language", "market", "note")
_KINDS = ("required", "forbidden", "do_not_translate")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FORBIDDEN_STATUS = ("deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecated", "superseded")


def _reject(message: str, errors: list[ErrorDetail]) -> ValidationFailed:
    return ValidationFailed(message, code="localization.invalid_glossary", details=errors)


def read_glossary_csv(content: bytes) -> list[TermEntry]:
    text, _ = catalog.decode_csv(content)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "term" not in header or "kind" not in header:
        raise _reject("the glossary CSV needs at least the columns term and kind",
                      [ErrorDetail("required column missing", field=c, row=1) for c in ("term", "kind")
                       if c not in header])
    reader.fieldnames = header
    entries, errors = [], []
    for row_number, row in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in row.items() if k}
        problems = []
        if not cells.get("term"):
            problems.append(ErrorDetail("term is empty", field="term", row=row_number))
        if cells.get("kind") not in _KINDS:
            problems.append(ErrorDetail(f"kind must be one of {', '.join(_KINDS)}", field="kind", row=row_number))
        if cells.get("kind") in ("required", "forbidden") and not (cells.get("translation") and cells.get("language")):
            problems.append(ErrorDetail(f"a {cells.get('kind')} term needs language and translation",
                                        field="translation", row=row_number))
        try:
            for column in ("language", "source_language"):
                if cells.get(column):
                    cells[column] = str(language_tag(cells[column], field=column))
            if cells.get("market"):
                cells["market"] = str(country_code(cells["market"], field="market"))
        except ValidationFailed as exc:
            problems.append(ErrorDetail(exc.message, row=row_number))
        if problems:
            errors.extend(problems)
            continue
        entries.append(TermEntry(term=cells["term"], kind=cells["kind"],  # type: ignore[arg-type]
                                 language=cells.get("language") or None, translation=cells.get("translation") or None,
                                 source_language=cells.get("source_language") or None,
                                 market=cells.get("market") or None, note=cells.get("note") or None))
    if errors:
        raise _reject(f"{len(errors)} problem(s) in the glossary CSV; nothing was imported", errors)
    return entries


def read_tbx(content: bytes, *, source_language: str) -> list[TermEntry]:
    """Concept entries become required translations from the `source_language` term to every other language's
    preferred term; terms marked deprecated or superseded become forbidden translations."""
    if b"<!ENTITY" in content:
        raise _reject("entity declarations are not allowed in TBX files",
                      [ErrorDetail("entity declaration", field="DOCTYPE", code="localization.invalid_glossary")])
    try:
        root = ET.fromstring(content)  # noqa: S314 - no entity declarations (checked above)
    except ET.ParseError as exc:
        line, column = exc.position
        raise _reject(f"line {line}: not well-formed XML", [ErrorDetail(f"line {line}, column {column}: {exc}",
                                                                         row=line)]) from None
    source = str(language_tag(source_language, field="source_language")).split("-")[0]
    concepts = [e for e in root.iter() if e.tag.split("}")[-1] in ("termEntry", "conceptEntry")]
    if not concepts:
        raise _reject("no <termEntry> or <conceptEntry> found", [ErrorDetail("no concept entries", field="body")])
    entries, errors = [], []
    for number, concept in enumerate(concepts, start=1):
        terms: dict[str, list[tuple[str, bool]]] = {}
        for lang_set in (e for e in concept if e.tag.split("}")[-1] == "langSet"):
            raw_lang = lang_set.get(_XML_LANG) or lang_set.get("lang") or ""
            try:
                lang = str(language_tag(raw_lang, field="xml:lang"))
            except ValidationFailed:
                errors.append(ErrorDetail(f"entry {number}: langSet xml:lang {raw_lang!r} is not a language tag",
                                          field="langSet", row=number))
                continue
            for holder in (e for e in lang_set.iter() if e.tag.split("}")[-1] in ("tig", "termSec", "ntig")):
                term = next((e.text or "" for e in holder.iter() if e.tag.split("}")[-1] == "term"), "").strip()
                status = " ".join((e.text or "").strip().lower() for e in holder.iter()
                                  if e.tag.split("}")[-1] == "termNote")
                if term:
                    terms.setdefault(lang, []).append((term, any(s in status for s in _FORBIDDEN_STATUS)))
        sources = [t for lang, items in terms.items() if lang.split("-")[0] == source for t, bad in items if not bad]
        if not sources:
            errors.append(ErrorDetail(f"entry {number}: no {source} term", field="termEntry", row=number))
            continue
        for lang, items in terms.items():
            if lang.split("-")[0] == source:
                continue
            for term, forbidden in items:
                entries.append(TermEntry(term=sources[0], kind="forbidden" if forbidden else "required",
                                         language=lang, translation=term, source_language=source))
    if errors:
        raise _reject(f"{len(errors)} problem(s) in the TBX file; nothing was imported", errors)
    return entries
