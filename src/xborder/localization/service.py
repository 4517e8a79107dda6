"""Translation memory and glossary use cases per organization: add and look up segments (exact + fuzzy with
score), TMX import/export, glossary CSV/TBX import, and the organization's Glossary for QA and translation."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from xborder.kernel import ErrorDetail, ValidationFailed, language_tag
from xborder.localization.glossary_io import read_glossary_csv, read_tbx
from xborder.localization.models import GlossaryTerm, TmSegment
from xborder.localization.termbase import Glossary, TermEntry
from xborder.localization.tm_index import TmIndex, normalize_segment
from xborder.localization.tmx import read_tmx, write_tmx

__all__ = ["GlossaryImport", "TmImport", "TmMatch", "add_segment", "export_tmx", "get_glossary", "import_glossary",
           "import_tmx", "lookup_tm"]


@dataclass(frozen=True, slots=True)
class TmMatch:
    source_text: str
    target_text: str
    score: float  # 100 = exact (after normalization)
    origin: str


@dataclass(frozen=True, slots=True)
class TmImport:
    units: int
    created: int
    updated: int
    pairs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GlossaryImport:
    terms: int
    replaced: int


def _key(text: str) -> str:
    return hashlib.sha256(normalize_segment(text).encode("utf-8")).hexdigest()


def _lang(value: str, field: str) -> str:
    return str(language_tag(value, field=field))


# One in-memory index per (organization, source, target), rebuilt lazily after writes in this process.
_INDEXES: dict[tuple[str, str, str], tuple[int, TmIndex, list[tuple[str, str, str]]]] = {}
_VERSIONS: dict[tuple[str, str, str], int] = {}
_LOCK = threading.Lock()


def _touch(organization_id: str, source: str, target: str) -> None:
    with _LOCK:
        key = (organization_id, source, target)
        _VERSIONS[key] = _VERSIONS.get(key, 0) + 1


def _upsert(session: Session, *, organization_id: str, source_language: str, target_language: str,
            source_text: str, target_text: str, origin: str, created_by: str | None) -> bool:
    """Insert or update one segment; True when created."""
    key = _key(source_text)
    row = session.scalar(select(TmSegment).where(
        TmSegment.organization_id == organization_id, TmSegment.source_language == source_language,
        TmSegment.target_language == target_language, TmSegment.source_key == key))
    if row is None:
        session.add(TmSegment(organization_id=organization_id, source_language=source_language,
                              target_language=target_language, source_key=key, source_text=source_text,
                              target_text=target_text, origin=origin, created_by=created_by))
        return True
    row.target_text, row.origin, row.created_by = target_text, origin, created_by
    return False


def add_segment(session: Session, *, organization_id: str, source_language: str, target_language: str,
                source_text: str, target_text: str, origin: str = "human", created_by: str | None = None) -> None:
    """Store (or replace) the translation of one segment. Empty segments are rejected."""
    errors = [ErrorDetail(f"{name} is empty", field=name, code="localization.empty_segment")
              for name, value in (("source_text", source_text), ("target_text", target_text)) if not value.strip()]
    if errors:
        raise ValidationFailed("empty segment", details=errors)
    src, tgt = _lang(source_language, "source_language"), _lang(target_language, "target_language")
    _upsert(session, organization_id=organization_id, source_language=src, target_language=tgt,
            source_text=source_text.strip(), target_text=target_text.strip(), origin=origin, created_by=created_by)
    session.flush()
    _touch(organization_id, src, tgt)


def _index(session: Session, organization_id: str, source: str, target: str) -> tuple[TmIndex, list[tuple[str, ...]]]:
    key = (organization_id, source, target)
    version = _VERSIONS.get(key, 0)
    cached = _INDEXES.get(key)
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]  # type: ignore[return-value]
    rows = session.execute(select(TmSegment.source_text, TmSegment.target_text, TmSegment.origin).where(
        TmSegment.organization_id == organization_id, TmSegment.source_language == source,
        TmSegment.target_language == target).order_by(TmSegment.id)).all()
    index = TmIndex()
    index.add_many([(i, row[0]) for i, row in enumerate(rows)])
    texts = [(r[0], r[1], r[2]) for r in rows]
    with _LOCK:
        _INDEXES[key] = (version, index, texts)
    return index, texts  # type: ignore[return-value]


def lookup_tm(session: Session, *, organization_id: str, source_language: str, target_language: str, text: str,
              limit: int = 5, min_score: float = 70.0) -> list[TmMatch]:
    """Exact and fuzzy matches for `text`, best first, each with its score (0-100)."""
    if not text.strip():
        return []
    src, tgt = _lang(source_language, "source_language"), _lang(target_language, "target_language")
    index, texts = _index(session, organization_id, src, tgt)
    return [TmMatch(texts[m.key][0], texts[m.key][1], m.score, texts[m.key][2])
            for m in index.search(text, limit=limit, min_score=min_score)]


def import_tmx(session: Session, *, organization_id: str, content: bytes,
               created_by: str | None = None) -> TmImport:
    """Import every source→target pair of a TMX 1.4b file in one go (the caller's transaction); a malformed file
    raises ValidationFailed naming line and element and changes nothing."""
    srclang, units = read_tmx(content)
    base = srclang.split("-")[0]
    created = updated = 0
    pairs: set[str] = set()
    for unit in units:
        source_lang = next((lang for lang in unit.variants if lang == srclang), None) or next(
            (lang for lang in unit.variants if lang.split("-")[0] == base), None)
        if source_lang is None:
            raise ValidationFailed(f"line {unit.line}: <tu> has no variant in the header srclang {srclang}",
                                   code="localization.invalid_tmx",
                                   details=[ErrorDetail("no source-language variant", field="tu", row=unit.line)])
        for lang, text in unit.variants.items():
            if lang == source_lang:
                continue
            if _upsert(session, organization_id=organization_id, source_language=source_lang, target_language=lang,
                       source_text=unit.variants[source_lang].strip(), target_text=text.strip(), origin="tmx",
                       created_by=created_by):
                created += 1
            else:
                updated += 1
            pairs.add(f"{source_lang}>{lang}")
    session.flush()
    for pair in pairs:
        src, tgt = pair.split(">")
        _touch(organization_id, src, tgt)
    return TmImport(units=len(units), created=created, updated=updated, pairs=tuple(sorted(pairs)))


def export_tmx(session: Session, *, organization_id: str, source_language: str,
               target_language: str | None = None) -> bytes:
    src = _lang(source_language, "source_language")
    query = select(TmSegment).where(TmSegment.organization_id == organization_id, TmSegment.source_language == src)
    if target_language:
        query = query.where(TmSegment.target_language == _lang(target_language, "target_language"))
    rows = session.scalars(query.order_by(TmSegment.target_language, TmSegment.id)).all()
    return write_tmx([(r.source_language, r.source_text, r.target_language, r.target_text) for r in rows],
                     source_language=src)


def import_glossary(session: Session, *, organization_id: str, content: bytes, file_format: str = "csv",
                    source_language: str | None = None, replace: bool = False) -> GlossaryImport:
    """Import a glossary CSV or TBX file whole; `replace` first deletes the organization's existing terms."""
    if file_format == "csv":
        entries = read_glossary_csv(content)
    elif file_format == "tbx":
        if not source_language:
            raise ValidationFailed("TBX import needs source_language", details=[
                ErrorDetail("required for TBX", field="source_language")])
        entries = read_tbx(content, source_language=source_language)
    else:
        raise ValidationFailed(f"unknown glossary format {file_format!r} (csv or tbx)",
                               details=[ErrorDetail("csv or tbx", field="format")])
    replaced = 0
    if replace:
        replaced = session.scalar(select(func.count()).select_from(GlossaryTerm).where(
            GlossaryTerm.organization_id == organization_id)) or 0
        session.execute(delete(GlossaryTerm).where(GlossaryTerm.organization_id == organization_id))
    session.add_all(GlossaryTerm(organization_id=organization_id, term=e.term, kind=e.kind, language=e.language,
                                 translation=e.translation, source_language=e.source_language, market=e.market,
                                 note=e.note) for e in entries)
    session.flush()
    return GlossaryImport(terms=len(entries), replaced=replaced)


def get_glossary(session: Session, *, organization_id: str, market: str | None = None) -> Glossary:
    rows = session.scalars(select(GlossaryTerm).where(GlossaryTerm.organization_id == organization_id)
                           .order_by(GlossaryTerm.term, GlossaryTerm.id)).all()
    glossary = Glossary(tuple(TermEntry(term=r.term, kind=r.kind, language=r.language,  # type: ignore[arg-type]
                                        translation=r.translation, source_language=r.source_language,
                                        market=r.market, note=r.note) for r in rows))
    return glossary.for_market(market) if market else glossary
