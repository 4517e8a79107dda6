"""The QA listing CSV (`sku, language, title, description` plus optional `source_language, source_title,
source_description, bullets, keywords, brand, model`) parsed into ListingText, rejecting the whole file with
row/column errors. `brand` and `model` are kept as is in every language (do-not-translate for the checks)."""

from __future__ import annotations

import csv
import io

from xborder import catalog
from xborder.kernel import ErrorDetail, ValidationFailed, language_tag
from xborder.localization.checks.base import ListingText, declared_terms

__all__ = ["LISTING_COLUMNS", "REQUIRED_COLUMNS", "parse_listing_csv", "split_list"]

REQUIRED_COLUMNS = ("sku", "language", "title", "description")
LISTING_COLUMNS = (*REQUIRED_COLUMNS, "source_language", "source_title", "source_description", "bullets", "keywords",
                   "brand", "model")


def split_list(value: str, *, separators: str) -> tuple[str, ...]:
    """Split a cell on any of `separators` (bullets: '|' or new lines; keywords: ',', ';' or '|')."""
    parts = [value]
    for sep in separators:
        parts = [piece for part in parts for piece in part.split(sep)]
    return tuple(p.strip() for p in parts if p.strip())


def parse_listing_csv(content: bytes, *, max_rows: int = 500_000) -> list[ListingText]:
    """Parse the whole file or raise ValidationFailed naming every bad row and column (nothing is half-read)."""
    text, _ = catalog.decode_csv(content)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationFailed(f"the CSV lacks required column(s): {', '.join(missing)}", code="localization.bad_csv",
                               details=[ErrorDetail("required column missing", field=c, row=1) for c in missing])
    unknown = [h for h in header if h not in LISTING_COLUMNS]
    errors = [ErrorDetail(f"unknown column {h!r}; known: {', '.join(LISTING_COLUMNS)}", field=h, row=1)
              for h in unknown]
    reader.fieldnames = header
    listings: list[ListingText] = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > max_rows:
            errors.append(ErrorDetail(f"more than {max_rows} rows", row=number))
            break
        if None in row:
            errors.append(ErrorDetail("more cells than header columns", row=number))
            continue
        cells = {k: (v or "").strip() for k, v in row.items()}
        row_errors = [ErrorDetail(f"{c} is empty", field=c, row=number, code="required")
                      for c in ("sku", "language") if not cells.get(c)]
        for column in ("language", "source_language"):
            if cells.get(column):
                try:
                    cells[column] = str(language_tag(cells[column], field=column))
                except ValidationFailed as exc:
                    row_errors.append(ErrorDetail(exc.message, field=column, row=number, code="invalid_language"))
        if row_errors:
            errors.extend(row_errors)
            continue
        listings.append(ListingText(
            sku=cells["sku"], language=cells["language"], title=cells.get("title", ""),
            description=cells.get("description", ""),
            bullets=split_list(row.get("bullets") or "", separators="|\n"),
            keywords=split_list(row.get("keywords") or "", separators=",;|"),
            source_language=cells.get("source_language") or None, source_title=cells.get("source_title") or None,
            source_description=cells.get("source_description") or None,
            protected_terms=declared_terms(brand=cells.get("brand"), attributes=[{"model": cells.get("model", "")}])))
    if errors:
        raise ValidationFailed(f"{len(errors)} problem(s) in the listing CSV; nothing was checked",
                               code="localization.bad_csv", details=errors)
    return listings
