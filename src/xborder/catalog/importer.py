"""Bulk import of a catalog file: validate every row first, then upsert products and variants in batches.

All-or-nothing per file: if any problem is found nothing is written. Upsert rule: a SKU that already exists in the
organization is updated; only the columns present in the file change it (an empty cell clears the value).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import JSON, Table, Text, cast, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xborder.catalog.models import PRODUCT_TABLE, VARIANT_TABLE, Product, Variant, search_text
from xborder.catalog.readers import FileRejected, open_sheet
from xborder.catalog.rows import RowIssue, RowRecord, validate_row
from xborder.catalog.schemas import ImportIssue, ImportReport
from xborder.catalog.template import HeaderMap, map_headers
from xborder.kernel import Conflict, new_id, utcnow
from xborder.settings import ImportLimits

__all__ = ["run_import"]

Progress = Callable[[int, int], None]
T = TypeVar("T")

BATCH = 1000
_IN_CHUNK = 500
MAX_REPORTED_ERRORS = 10_000
_PRODUCT_TEXT = ("title", "description", "source_language", "brand", "category")


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class _Issues:
    errors: list[ImportIssue] = field(default_factory=list)
    omitted: int = 0

    def add(self, issue: RowIssue | ImportIssue) -> None:
        if len(self.errors) >= MAX_REPORTED_ERRORS:
            self.omitted += 1
            return
        if isinstance(issue, RowIssue):
            issue = ImportIssue(row=issue.row, column=issue.column, message=issue.message, code=issue.code)
        self.errors.append(issue)

    def final(self) -> list[ImportIssue]:
        if self.omitted:
            return [*self.errors, ImportIssue(row=None, column=None, code="catalog.too_many_errors",
                                              message=f"{self.omitted:,} more problems not listed")]
        return self.errors


def _header_issues(headers: HeaderMap, row: int) -> tuple[list[ImportIssue], list[ImportIssue]]:
    errors = [ImportIssue(row=row, column=text, code="catalog.duplicate_column",
                          message=f"this column repeats {headers.written[canonical]!r} ({canonical})")
              for _position, text, canonical in headers.duplicates]
    if "sku" not in headers.written:
        errors.append(ImportIssue(row=row, column=None, code="catalog.missing_column",
                                  message="the header has no SKU column (sku / SKU / SKU编码)"))
    warnings = [ImportIssue(row=row, column=text, code="catalog.unknown_header",
                            message="unknown column: its values are ignored (see the import template)")
                for _position, text in headers.unknown]
    return errors, warnings


@dataclass
class _ProductPlan:
    ref: str
    first_row: int
    existing: dict[str, Any] | None
    values: dict[str, Any] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    records: list[RowRecord] = field(default_factory=list)
    new_id: str = field(default_factory=new_id)

    @property
    def id(self) -> str:
        return str(self.existing["id"]) if self.existing is not None else self.new_id


def run_import(session: Session, *, organization_id: str, filename: str, content: bytes, dry_run: bool,
               limits: ImportLimits, progress: Progress | None) -> ImportReport:
    report = ImportReport(filename=filename, file_format=None, encoding=None, dry_run=dry_run)
    notify = progress or (lambda _done, _total: None)
    issues = _Issues()
    try:
        sheet = open_sheet(filename, content, limits)
        report.file_format, report.encoding = sheet.file_format, sheet.encoding
        headers = map_headers(sheet.header)
        header_errors, report.warnings = _header_issues(headers, sheet.header_row)
        report.warnings += [ImportIssue(row=None, column=None, code=code, message=message)
                            for code, message in sheet.warnings]
        if header_errors:
            report.errors = header_errors
            return report
        total = sheet.estimated_rows * (1 if dry_run else 2)
        records: list[RowRecord] = []
        seen: dict[str, int] = {}
        count = 0
        for number, cells in sheet.rows:
            count += 1
            record, row_issues = validate_row(cells, headers, number)
            for issue in row_issues:
                issues.add(issue)
            if record.sku:
                first = seen.setdefault(record.sku, number)
                if first != number:
                    issues.add(ImportIssue(row=number, column=headers.written["sku"], code="catalog.duplicate_sku",
                                           message=f"SKU {record.sku!r} already appears on row {first}"))
                    continue
            if not row_issues:
                records.append(record)
            if count % 500 == 0:
                notify(count, max(total, count))
        report.rows = count
    except FileRejected as exc:
        issues.add(ImportIssue(row=exc.row, column=None, message=exc.message, code=exc.code))
        report.errors = issues.final()
        return report
    total = report.rows * (1 if dry_run else 2)
    notify(report.rows, total)
    if report.rows == 0 and not issues.errors:
        issues.add(ImportIssue(row=None, column=None, code="catalog.empty_file", message="the file has no data rows"))
    plans, existing = _plan(session, organization_id, records, headers, issues)
    report.errors = issues.final()
    report.variants_updated = sum(1 for r in records if r.sku in existing)
    report.variants_created = len(records) - report.variants_updated
    report.products_created = sum(1 for p in plans.values() if p.existing is None)
    report.products_updated = len(plans) - report.products_created
    if report.errors or dry_run:
        return report
    try:
        _write(session, organization_id, plans, existing, lambda done: notify(report.rows + done, total))
    except IntegrityError:
        raise Conflict("the catalog changed while importing (another import of the same SKUs?); retry") from None
    report.written = True
    return report


def _select_in(session: Session, stmt: Any, column: Any, values: Iterable[str]) -> list[Any]:
    rows: list[Any] = []
    for chunk in _chunks(sorted(set(values)), _IN_CHUNK):
        rows.extend(session.execute(stmt.where(column.in_(chunk))).all())
    return rows


def _plan(session: Session, organization_id: str, records: list[RowRecord], headers: HeaderMap,
          issues: _Issues) -> tuple[dict[str, _ProductPlan], dict[str, Any]]:
    """Resolve each row's product, merge product-level values, and check rules that span rows."""
    variant_cols = (Variant.sku, Variant.id, Variant.product_id, Variant.cost_currency, Variant.variant_name,
                    Variant.hs_code)
    existing = {row.sku: row for row in _select_in(
        session, select(*variant_cols).where(Variant.organization_id == organization_id), Variant.sku,
        (r.sku for r in records))}
    product_cols = (Product.id, Product.product_ref, *(getattr(Product, c) for c in _PRODUCT_TEXT))
    org_products = select(*product_cols).where(Product.organization_id == organization_id)
    by_id = {row.id: row._asdict() for row in _select_in(session, org_products, Product.id,
                                                         (v.product_id for v in existing.values()))}
    refs = {r.product_ref or (by_id[existing[r.sku].product_id]["product_ref"] if r.sku in existing else r.sku)
            for r in records}
    by_ref = {row.product_ref: row._asdict() for row in _select_in(session, org_products, Product.product_ref, refs)}

    plans: dict[str, _ProductPlan] = {}
    for record in records:
        ref = record.product_ref
        if ref is None:
            ref = by_id[existing[record.sku].product_id]["product_ref"] if record.sku in existing else record.sku
        plan = plans.get(ref)
        if plan is None:
            plan = plans[ref] = _ProductPlan(ref, record.row, by_ref.get(ref))
        plan.records.append(record)
        for name, value in record.product.items():
            current = plan.values.get(name)
            if value is not None and current is not None and value != current:
                issues.add(ImportIssue(row=record.row, column=headers.written[name],
                                       code="catalog.product_field_conflict",
                                       message=f"product {ref!r} has {current!r} on row {plan.written[name]}; every "
                                               "row of one product must agree"))
            elif value is not None or name not in plan.values:
                if value is not None:
                    plan.written[name] = str(record.row)
                plan.values[name] = value
    for plan in plans.values():
        if plan.values.get("title", "") is None:
            del plan.values["title"]  # an empty title cell never clears a stored title (it is required)
        if plan.existing is None and not plan.values.get("title"):
            issues.add(ImportIssue(row=plan.first_row, column=headers.written.get("title", "title"),
                                   code="catalog.required", message=f"new product {plan.ref!r} needs a title"))
    _check_currencies(session, plans, existing, headers, issues)
    return plans, existing


def _check_currencies(session: Session, plans: dict[str, _ProductPlan], existing: dict[str, Any],
                      headers: HeaderMap, issues: _Issues) -> None:
    """All variants of one product share a cost currency (file rows and variants already stored)."""
    in_file = {r.sku for p in plans.values() for r in p.records}
    stored: dict[str, set[str]] = {}
    ids = [p.existing["id"] for p in plans.values() if p.existing is not None]
    stmt = select(Variant.product_id, Variant.sku, Variant.cost_currency).where(Variant.cost_currency.is_not(None))
    for row in _select_in(session, stmt, Variant.product_id, ids):
        if row.sku not in in_file:
            stored.setdefault(row.product_id, set()).add(row.cost_currency)
    for plan in plans.values():
        seen = set(stored.get(plan.existing["id"], set())) if plan.existing else set()
        for record in plan.records:
            if "cost_currency" in record.variant:
                currency = record.variant["cost_currency"]
            else:
                currency = existing[record.sku].cost_currency if record.sku in existing else None
            if currency and seen and currency not in seen:
                issues.add(ImportIssue(row=record.row, column=headers.written.get("cost_currency", "cost_currency"),
                                       code="catalog.mixed_currencies",
                                       message=f"product {plan.ref!r} mixes cost currencies "
                                               f"{', '.join(sorted(seen | {currency}))}; use one per product"))
            if currency:
                seen.add(currency)


def _write(session: Session, organization_id: str, plans: dict[str, _ProductPlan], existing: dict[str, Any],
           notify: Callable[[int], None]) -> None:
    now = utcnow()
    new_products = [{**p.values, "id": p.id, "organization_id": organization_id, "product_ref": p.ref,
                     "created_at": now, "updated_at": now} for p in plans.values() if p.existing is None]
    for batch in _chunks(new_products, BATCH):
        session.execute(insert(PRODUCT_TABLE), batch)  # Core executemany: no ORM bookkeeping per row
    changed_products = [{**p.values, "id": p.id, "organization_id": organization_id, "product_ref": p.ref,
                         "title": p.values.get("title", p.existing["title"]), "created_at": now, "updated_at": now}
                        for p in plans.values() if p.existing is not None and p.values]
    _upsert(session, PRODUCT_TABLE, changed_products, ("organization_id", "product_ref"),
            keep=("id", "organization_id", "product_ref", "created_at"))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for plan in plans.values():
        product = {**(plan.existing or {}), **plan.values}
        for record in plan.records:
            old = existing.get(record.sku)
            values = {**record.variant, "product_id": plan.id, "updated_at": now}
            name = values.get("variant_name", old.variant_name if old else None)
            hs = values.get("hs_code", old.hs_code if old else None)
            values["search_text"] = search_text(record.sku, name, product.get("title"), product.get("brand"), hs)
            if old is None:
                inserts.append({**values, "id": new_id(), "organization_id": organization_id, "created_at": now})
            else:
                updates.append({**values, "id": old.id, "organization_id": organization_id, "sku": record.sku,
                                "created_at": now})
    done = 0
    for batch in _chunks(inserts, BATCH):
        session.execute(insert(VARIANT_TABLE), batch)
        done += len(batch)
        notify(done)
    def progress(count: int) -> None:
        nonlocal done
        done += count
        notify(done)

    _upsert(session, VARIANT_TABLE, updates, ("organization_id", "sku"),
            keep=("id", "organization_id", "sku", "created_at"), progress=progress)
    _refresh_siblings(session, plans)


def _upsert(session: Session, table: Table, rows: list[dict[str, Any]], key: tuple[str, ...], *,
            keep: tuple[str, ...], progress: Callable[[int], None] | None = None) -> None:
    """INSERT ... ON CONFLICT (key) DO UPDATE in batches: one statement per row batch instead of an UPDATE by
    primary key per row. Only the columns a row carries are updated (the file's columns); `keep` never changes.
    A row whose values are all unchanged is skipped, so re-importing a file rewrites no index and keeps updated_at."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:  # executemany needs one column set per statement
        groups.setdefault(tuple(sorted(row)), []).append(row)
    dialect = session.get_bind().dialect.name
    for columns, group in groups.items():
        stmt = sqlite_insert(table) if dialect == "sqlite" else postgresql_insert(table)
        changes = [c for c in columns if c not in keep and c != "updated_at"]
        stmt = stmt.on_conflict_do_update(
            index_elements=list(key), set_={c: stmt.excluded[c] for c in columns if c not in keep},
            where=or_(*(_differs(table.c[c], stmt.excluded[c]) for c in changes)) if changes else None)
        for batch in _chunks(group, BATCH):
            session.execute(stmt, batch)
            if progress is not None:
                progress(len(batch))


def _differs(stored: Any, incoming: Any) -> Any:
    if isinstance(stored.type, JSON):  # PostgreSQL json has no equality operator; compare the serialized text
        return cast(stored, Text).is_distinct_from(cast(incoming, Text))
    return stored.is_distinct_from(incoming)


def _refresh_siblings(session: Session, plans: dict[str, _ProductPlan]) -> None:
    """A new title or brand changes the search text of the product's variants the file did not list."""
    renamed = {p.id: {**p.existing, **p.values} for p in plans.values() if p.existing is not None
               and any(k in p.values and p.values[k] != p.existing[k] for k in ("title", "brand"))}
    if not renamed:
        return
    listed = {r.sku for p in plans.values() for r in p.records}
    stmt = select(Variant.id, Variant.sku, Variant.product_id, Variant.variant_name, Variant.hs_code)
    refresh = [{"id": row.id, "search_text": search_text(row.sku, row.variant_name, renamed[row.product_id]["title"],
                                                         renamed[row.product_id]["brand"], row.hs_code)}
               for row in _select_in(session, stmt, Variant.product_id, renamed) if row.sku not in listed]
    for batch in _chunks(refresh, BATCH):
        session.execute(update(Variant), batch)
