"""Batch quotes for the API: parse CSV or JSON rows, quote them inline (explained, the single-quote function) or
as a job (figures only, `quote_figures`, equal to the single path by construction) whose result CSV is stored with
the job in the database (`jobs.get_job_output`), so any app host serves it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO, Literal

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from xborder.jobs import ClaimedJob, JobHandler, JobOutput, JobResult, ProgressReporter
from xborder.kernel import DomainError, ErrorDetail
from xborder.pricing.batch import BATCH_COLUMNS, QuoteFigures, parse_quote_row, quote_batch, quote_figures
from xborder.pricing.errors import PricingInputInvalid
from xborder.pricing.model import QuoteRequest
from xborder.pricing.schemas import QuoteIn
from xborder.pricing.serialize import landed_cost_to_dict
from xborder.pricing.service import PricingData

__all__ = ["BATCH_JOB_KIND", "FIGURE_COLUMNS", "BatchInput", "batch_job_handler", "figures_to_dict", "parse_batch",
           "parse_batch_csv", "parse_batch_json", "quote_rows", "read_batch_input", "run_quote_batch"]

BATCH_JOB_KIND = "pricing.quote_batch"
FIGURE_COLUMNS = ("currency", "customs_value", "duty", "import_vat", "other_taxes_and_fees", "total_taxes_and_duties",
                  "landed_cost", "landed_cost_seller_currency", "de_minimis_applied", "payable_by_buyer",
                  "payable_by_seller", "complete")
_REQUIRED = ("origin", "dest", "hs", "value", "currency", "date")
PROGRESS_EVERY = 2000
ERRORS_IN_SUMMARY = 100

Row = QuoteRequest | DomainError


@dataclass(frozen=True, slots=True)
class BatchInput:
    """A checked batch: CSV bytes (header valid) or JSON bytes of a list of row objects, and its row count."""

    fmt: Literal["csv", "json"]
    content: bytes
    rows: int


def read_batch_input(content: bytes, *, fmt: Literal["csv", "json"]) -> BatchInput:
    """Check the shape (CSV header, JSON list or `{"rows": [...]}`) and count rows without quoting anything."""
    if fmt == "json":
        try:
            body = json.loads(content)
        except ValueError as exc:
            raise PricingInputInvalid(f"the body is not JSON: {exc}", details=[ErrorDetail("not JSON")]) from None
        rows = body.get("rows") if isinstance(body, dict) else body
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise PricingInputInvalid("send a JSON list of quote objects (or {\"rows\": [...]})",
                                      details=[ErrorDetail("expected a list of objects", field="rows")])
        return BatchInput("json", json.dumps(rows).encode() if isinstance(body, dict) else content, len(rows))
    text = _decode(content)
    reader = csv.reader(io.StringIO(text))
    _check_header(next(reader, []))
    return BatchInput("csv", content, sum(1 for row in reader if any(cell.strip() for cell in row)))


def parse_batch(batch: BatchInput, *, today: date) -> list[tuple[int, Row]]:
    if batch.fmt == "json":
        return parse_batch_json(json.loads(batch.content), today=today)
    return parse_batch_csv(batch.content)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PricingInputInvalid("the CSV is not UTF-8", details=[ErrorDetail("not UTF-8", field="file")]) from None


def _check_header(names: Sequence[str]) -> list[str]:
    header = [name.strip() for name in names]
    unknown = sorted(set(header) - set(BATCH_COLUMNS))
    missing = [name for name in _REQUIRED if name not in header]
    if unknown or missing:
        details = [ErrorDetail(f"unknown column {name!r}", field=name, row=1) for name in unknown]
        details += [ErrorDetail(f"missing column {name!r}", field=name, row=1) for name in missing]
        raise PricingInputInvalid(f"CSV header: expected columns {', '.join(BATCH_COLUMNS)}", details=details)
    return header


def parse_batch_csv(content: bytes) -> list[tuple[int, Row]]:
    """(row number, request or its error) per CSV data row; row numbers count the header as row 1, like the CLI."""
    reader = csv.DictReader(io.StringIO(_decode(content)))
    reader.fieldnames = _check_header(reader.fieldnames or [])
    rows: list[tuple[int, Row]] = []
    for number, raw in enumerate(reader, start=2):
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue  # blank line
        try:
            rows.append((number, parse_quote_row(raw, row_number=number)))
        except DomainError as exc:
            rows.append((number, exc))
    return rows


def parse_batch_json(rows: Iterable[QuoteIn | Mapping[str, Any]], *, today: date) -> list[tuple[int, Row]]:
    """(1-based position, request or its error) per JSON row (`QuoteIn` fields; `date` defaults to `today`)."""
    parsed: list[tuple[int, Row]] = []
    for number, raw in enumerate(rows, start=1):
        try:
            item = raw if isinstance(raw, QuoteIn) else QuoteIn.model_validate(raw)
            parsed.append((number, item.to_request(today=today)))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first.get("loc", ())) or None
            parsed.append((number, PricingInputInvalid(f"row {number}: {field}: {first.get('msg')}", details=[
                ErrorDetail(str(first.get("msg")), field=field, row=number)])))
        except DomainError as exc:
            parsed.append((number, exc))
    return parsed


def figures_to_dict(figures: QuoteFigures) -> dict[str, Any]:
    def s(value: object) -> str | None:
        return None if value is None else format(value, "f")

    return {"currency": figures.currency, "customs_value": s(figures.customs_value), "duty": s(figures.duty),
            "import_vat": s(figures.import_vat), "other_taxes_and_fees": s(figures.other_taxes_and_fees),
            "total_taxes_and_duties": s(figures.total_taxes_and_duties), "landed_cost": s(figures.landed_cost),
            "landed_cost_seller_currency": s(figures.landed_cost_seller_currency),
            "de_minimis_applied": figures.de_minimis_applied, "payable_by_buyer": s(figures.payable_by_buyer),
            "payable_by_seller": s(figures.payable_by_seller), "complete": figures.complete}


def _error(exc: DomainError) -> dict[str, Any]:
    return {"code": exc.code, "message": exc.message, "errors": [d.as_dict() for d in exc.details]}


def _figures(data: PricingData, rows: Sequence[tuple[int, Row]]) -> Iterator[tuple[int, QuoteFigures | DomainError]]:
    valid = [request for _, request in rows if not isinstance(request, DomainError)]
    results = quote_figures(data, valid)
    for number, request in rows:
        yield number, request if isinstance(request, DomainError) else next(results)


def quote_rows(data: PricingData, rows: Sequence[tuple[int, Row]], *, explain: bool = True) -> list[dict[str, Any]]:
    """Inline batch: per row `{"row", "result"}` (the explained single-quote JSON, or `"figures"` when not
    `explain`) or `{"row", "error"}`. A failing row never stops the others."""
    out: list[dict[str, Any]] = []
    if explain:
        results = quote_batch(data, (request for _, request in rows))
        for (number, _), item in zip(rows, results, strict=True):
            if item.error is not None:
                out.append({"row": number, "error": _error(item.error)})
            else:
                assert item.result is not None
                out.append({"row": number, "result": landed_cost_to_dict(item.result)})
        return out
    for number, found in _figures(data, rows):
        out.append({"row": number, "error": _error(found)} if isinstance(found, DomainError)
                   else {"row": number, "figures": figures_to_dict(found)})
    return out


def run_quote_batch(data: PricingData, *, rows: Sequence[tuple[int, Row]], out: BinaryIO,
                    progress: Callable[[int, int], None]) -> dict[str, Any]:
    """Quote every row with the figures path and write the UTF-8 CSV (row, figures, error_code, error) to the binary
    stream `out` (left open); returns a summary with the first errors."""
    total, failed, incomplete = len(rows), 0, 0
    errors: list[dict[str, Any]] = []
    handle = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["row", *FIGURE_COLUMNS, "error_code", "error"])
        for done, (number, found) in enumerate(_figures(data, rows), start=1):
            if isinstance(found, DomainError):
                failed += 1
                if len(errors) < ERRORS_IN_SUMMARY:
                    errors.append({"row": number, "code": found.code, "message": found.message})
                writer.writerow([number, *([""] * len(FIGURE_COLUMNS)), found.code, found.message])
            else:
                incomplete += not found.complete
                values = figures_to_dict(found)
                writer.writerow([number, *(_cell(values[c]) for c in FIGURE_COLUMNS), "", ""])
            if done % PROGRESS_EVERY == 0:
                progress(done, total)
    finally:
        handle.flush()
        handle.detach()  # the caller owns `out`
    progress(total, total)
    return {"rows": total, "quoted": total - failed, "failed": failed, "incomplete": incomplete, "errors": errors}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def batch_job_handler(*, data: PricingData) -> JobHandler:
    """The job handler for BATCH_JOB_KIND: input is the uploaded CSV or the JSON rows; payload `format`, `today`.
    The result CSV goes back to the runner as the job's output, stored with the succeeded status."""

    def handle(factory: sessionmaker[Session], job: ClaimedJob, progress: ProgressReporter) -> JobResult:
        fmt: Literal["csv", "json"] = "json" if job.payload.get("format") == "json" else "csv"
        batch = BatchInput(fmt, job.input or b"", int(job.payload.get("rows") or 0))
        rows = parse_batch(batch, today=date.fromisoformat(str(job.payload["today"])))
        source = data.with_latest_fx() if job.payload.get("fx_latest") else data
        out = io.BytesIO()
        summary = run_quote_batch(source, rows=rows, out=out, progress=lambda done, total: progress(done, total, None))
        return JobResult({**summary, "result_url": f"/api/v1/quotes/batch/{job.id}/results"},
                         output=JobOutput(out.getvalue(), filename=f"quotes-{job.id}.csv",
                                          media_type="text/csv; charset=utf-8"))

    return handle
