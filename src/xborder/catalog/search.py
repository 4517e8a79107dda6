"""Variant search for list pages: a trigram index lookup when few variants match, an ordered scan when many do.

A query of 3+ characters matches anywhere in the search text (SKU, variant name, title, brand, HS code) through the
SQLite FTS5 trigram table or the PostgreSQL pg_trgm index; a shorter one matches the start of the SKU or the brand.
The service asks `candidate_keys` first: at most `CANDIDATE_CAP` row keys (then sort just those), or None when more
match (then walking the SKU index and stopping after one page is cheaper than sorting every match).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product as cartesian
from typing import Any

from sqlalchemy import ColumnClause, and_, column, literal_column, or_, select, table, text
from sqlalchemy.orm import Session

from xborder.catalog.models import Product, Variant
from xborder.catalog.search_ddl import FTS_TABLE

__all__ = ["CANDIDATE_CAP", "SearchTerm", "candidate_keys", "key_filter", "parse_query", "planner_decides",
           "scan_filter"]

CANDIDATE_CAP = 1000
_TRIGRAM = 3
_ROWID: ColumnClause[Any] = literal_column("catalog_variant.rowid")  # NullType, like _FTS.c.rowid it joins
_FTS = table(FTS_TABLE, column("rowid"))


@dataclass(frozen=True)
class SearchTerm:
    needle: str  # whitespace-collapsed, lower-case, as search_text is stored

    @property
    def short_cjk(self) -> bool:
        """A one- or two-character Chinese/Japanese/Korean word (耳机, 水壶): a whole word in those scripts, so it
        must match anywhere in titles even though no trigram index can serve it (an ordered scan does)."""
        return len(self.needle) < _TRIGRAM and any(_is_cjk(c) for c in self.needle)

    @property
    def prefix_only(self) -> bool:
        """Fewer characters than a trigram (and not a CJK word): match SKU or brand prefixes."""
        return len(self.needle) < _TRIGRAM and not self.short_cjk

    def like_pattern(self, *, anywhere: bool) -> str:
        escaped = _escape_like(self.needle)
        return f"%{escaped}%" if anywhere else f"{escaped}%"

    def case_spellings(self) -> list[str]:
        """Every upper/lower-case spelling of a short needle: SKUs and brands are stored as written ("Lumina")."""
        return sorted({"".join(chars) for chars in cartesian(*({c, c.upper(), c.lower()} for c in self.needle))})


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF
            or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F)


def parse_query(query: str | None) -> SearchTerm | None:
    needle = " ".join((query or "").split()).lower()
    return SearchTerm(needle) if needle else None


def _escape_like(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _next_string(prefix: str) -> str:
    """Smallest string above every string starting with `prefix` (code-point order, SQLite's BINARY collation)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _brand_condition(term: SearchTerm, dialect: str) -> Any:
    if dialect == "sqlite":  # ranges walk ix_catalog_product_org_brand; SQLite LIKE would not use it
        return or_(*(and_(Product.brand >= p, Product.brand < _next_string(p)) for p in term.case_spellings()))
    return or_(*(Product.brand.like(f"{_escape_like(p)}%", escape="\\") for p in term.case_spellings()))


def scan_filter(term: SearchTerm) -> Any:
    """The predicate for the ordered scan (the statement must join Product); same matches as `candidate_keys`."""
    if term.prefix_only:
        return or_(Variant.search_text.like(term.like_pattern(anywhere=False), escape="\\"),
                   or_(*(Product.brand.like(f"{_escape_like(p)}%", escape="\\") for p in term.case_spellings())))
    return Variant.search_text.like(term.like_pattern(anywhere=True), escape="\\")


def planner_decides(session: Session, term: SearchTerm) -> bool:
    """PostgreSQL estimates LIKE '%x%' selectivity from column statistics and picks the GIN index or the SKU-ordered
    scan itself (measured faster than `candidate_keys` for dense terms); SQLite cannot see into the FTS table."""
    return session.get_bind().dialect.name == "postgresql" and not term.prefix_only


def candidate_keys(session: Session, *, organization_id: str, term: SearchTerm,
                   cap: int | None = None) -> list[Any] | None:
    """Keys (rowids on SQLite, ids elsewhere) of the organization's matching variants, or None if over `cap`."""
    if term.short_cjk:
        return None  # no index serves a 1-2 character substring: the SKU-ordered scan stops after one page
    cap = CANDIDATE_CAP if cap is None else cap
    dialect = session.get_bind().dialect.name
    key = _ROWID if dialect == "sqlite" else Variant.id
    statements = []
    if term.prefix_only:
        if dialect == "sqlite":  # one range per spelling on the (organization_id, sku) b-tree
            statements += [select(key).where(Variant.organization_id == organization_id, Variant.sku >= p,
                                             Variant.sku < _next_string(p)) for p in term.case_spellings()]
        else:  # pg_trgm also serves anchored patterns
            statements.append(select(key).where(
                Variant.organization_id == organization_id,
                Variant.search_text.like(term.like_pattern(anywhere=False), escape="\\")))
        statements.append(select(key).select_from(Variant).join(Product, Product.id == Variant.product_id)
                          .where(Product.organization_id == organization_id, _brand_condition(term, dialect)))
    elif dialect == "sqlite":
        phrase = '"' + term.needle.replace('"', '""') + '"'  # an FTS5 phrase of trigrams = a substring
        statements.append(select(key).select_from(_FTS.join(Variant, _FTS.c.rowid == _ROWID))
                          .where(text(f"{FTS_TABLE} MATCH :phrase").bindparams(phrase=phrase),
                                 Variant.organization_id == organization_id))
    else:
        statements.append(select(key).where(Variant.organization_id == organization_id,
                                            Variant.search_text.like(term.like_pattern(anywhere=True), escape="\\")))
    keys: set[Any] = set()
    for statement in statements:
        keys.update(session.scalars(statement.limit(cap + 1)))
        if len(keys) > cap:
            return None
    return sorted(keys)


def key_filter(session: Session, keys: list[Any]) -> Any:
    """Restrict a variant statement to `candidate_keys`; rowid lookups keep SQLite from scanning the SKU index."""
    return (_ROWID if session.get_bind().dialect.name == "sqlite" else Variant.id).in_(keys)
