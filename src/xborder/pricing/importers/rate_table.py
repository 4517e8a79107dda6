"""A plain rate table (`code,rate[,text]` CSV) for markets without a dedicated importer: an operator converts the
official tariff of Japan, Canada, Australia... to this shape and imports it as a dated version. All or nothing.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from xborder.kernel import ErrorDetail
from xborder.pricing.errors import PricingInputInvalid
from xborder.pricing.importers.common import ScheduleLine
from xborder.pricing.rates import Unsupported, parse_rate

__all__ = ["import_rate_table_csv", "normalize_rate_text"]

_FREE = frozenset({"free", "0", "0%", "0 %", "nil", "exempt", "免税", "無税", "0.0%"})
_PERCENT = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*%?$", re.ASCII)
_CODE = re.compile(r"[0-9]{2,12}", re.ASCII)
_MAX_ERRORS = 50


def normalize_rate_text(text: str) -> str:
    """`Free`/`0`/`無税` -> `free`, `5`/`5 %` -> `5%`; anything else must already be in the engine's rate syntax."""
    cleaned = text.strip()
    if cleaned.lower() in _FREE:
        return "free"
    number = _PERCENT.match(cleaned)
    if number:
        return f"{number.group(1)}%"
    if isinstance(parse_rate(cleaned), Unsupported):  # parse_rate raises ValueError on text it cannot read
        raise ValueError("not a rate the engine can compute (write it as e.g. 5%, 0.30 EUR/kg, max(4%; 1 USD/item))")
    return cleaned


def import_rate_table_csv(path: Path) -> list[ScheduleLine]:
    """Lines of a UTF-8 CSV with a header naming `code` and `rate` (optional `text`). Codes may carry dots or spaces
    (`6109.10.00`); every bad row is reported with its row number and column, and nothing is returned then."""
    try:
        return _read_table(path)
    except UnicodeDecodeError as exc:
        raise PricingInputInvalid(f"{path.name}: not UTF-8 text (byte {exc.start}); save the table as UTF-8 CSV",
                                  details=[ErrorDetail("not UTF-8", field="file")]) from None
    except csv.Error as exc:
        raise PricingInputInvalid(f"{path.name}: not a readable CSV ({exc})",
                                  details=[ErrorDetail(str(exc), field="file")]) from None


def _read_table(path: Path) -> list[ScheduleLine]:
    lines: list[ScheduleLine] = []
    errors: list[ErrorDetail] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip().lower() for name in reader.fieldnames or []]
        if "code" not in header or "rate" not in header:
            raise PricingInputInvalid(f"{path.name}: the header must name the columns code and rate (found "
                                      f"{', '.join(header) or 'nothing'})",
                                      details=[ErrorDetail("missing code/rate columns", field="header")])
        for row_number, raw in enumerate(reader, start=2):
            row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
            code = re.sub(r"[.\s]", "", row.get("code", ""))
            if not _CODE.fullmatch(code):
                errors.append(ErrorDetail(f"code {row.get('code')!r} is not an HS/national code of 2-12 digits",
                                          field="code", row=row_number))
            elif code in seen:
                errors.append(ErrorDetail(f"code {code} repeats row {seen[code]}", field="code", row=row_number))
            else:
                seen[code] = row_number
            try:
                rate = normalize_rate_text(row.get("rate", ""))
            except ValueError as exc:
                errors.append(ErrorDetail(f"rate {row.get('rate')!r}: {exc}", field="rate", row=row_number))
                rate = ""
            if len(errors) >= _MAX_ERRORS:
                break
            if not errors:
                lines.append(ScheduleLine(code, rate, row.get("text") or row.get("rate", "")))
    if errors:
        raise PricingInputInvalid(f"{path.name}: {len(errors)} row(s) rejected, nothing imported "
                                  f"(first: row {errors[0].row}, {errors[0].field}: {errors[0].message})",
                                  details=errors)
    if not lines:
        raise PricingInputInvalid(f"{path.name}: no tariff lines found")
    return lines
