"""Catalog use cases: product/variant CRUD, keyset-paginated search, dashboard stats, bulk import and export.

Every function is scoped by `organization_id`; another organization's objects raise `NotFound`, exactly like
missing ones. Functions flush but never commit: the caller owns the transaction (`db.transaction`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, Literal

from pydantic import TypeAdapter
from sqlalchemy import Select, String, case, cast, exists, func, select, text
from sqlalchemy.orm import Session

from xborder.catalog import search, writers
from xborder.catalog.importer import run_import
from xborder.catalog.models import PRODUCT_FIELDS, WIRELESS_SQL, Product, Variant, search_text
from xborder.catalog.schemas import (
    CatalogStats,
    CountBucket,
    ImportReport,
    ProductIn,
    ProductOut,
    ProductPatch,
    ProductSummary,
    VariantIn,
    VariantOut,
    VariantPatch,
    VariantSummary,
)
from xborder.kernel import Conflict, ErrorDetail, NotFound, Page, ValidationFailed, decode_cursor, encode_cursor
from xborder.settings import ImportLimits

__all__ = [
    "catalog_stats",
    "create_product",
    "create_variant",
    "delete_product",
    "delete_variant",
    "export_products",
    "get_product",
    "get_variant",
    "get_variant_by_sku",
    "import_products",
    "list_products",
    "list_variants",
    "page_found_by_index",
    "update_product",
    "update_variant",
]

MAX_PAGE = 200
_BATTERY_PACKED = ("contained_in_equipment", "packed_with_equipment", "standalone")


def _has_battery() -> Any:
    return case((Variant.battery_packing.in_(_BATTERY_PACKED), True),
                (Variant.battery_chemistry.is_not(None) | Variant.battery_wh.is_not(None), True),
                (Variant.battery_packing == "none", False), else_=None)


def _has_wireless() -> Any:
    return case((Variant.wireless_bands.is_(None), None),
                (cast(Variant.wireless_bands, String) == "[]", False), else_=True)


def _not_found(what: str) -> NotFound:
    return NotFound(f"{what} not found", code="catalog.not_found")


def _product(session: Session, organization_id: str, product_id: str) -> Product:
    product = session.scalar(select(Product).where(Product.id == product_id,
                                                   Product.organization_id == organization_id))
    if product is None:
        raise _not_found("product")
    return product


def _variant(session: Session, organization_id: str, variant_id: str) -> Variant:
    variant = session.scalar(select(Variant).where(Variant.id == variant_id,
                                                   Variant.organization_id == organization_id))
    if variant is None:
        raise _not_found("variant")
    return variant


def _check_variant(values: dict[str, Any], siblings: list[Variant], field_prefix: str = "") -> None:
    """Rules spanning fields: gross >= net, voltage range, battery packing, one currency per product."""
    details: list[ErrorDetail] = []
    net, gross = values.get("net_weight_kg"), values.get("gross_weight_kg")
    if net is not None and gross is not None and gross < net:
        details.append(ErrorDetail("gross weight is below the net weight", field=f"{field_prefix}gross_weight_kg",
                                   code="catalog.gross_below_net"))
    low, high = values.get("voltage_min_v"), values.get("voltage_max_v")
    if (low is None) != (high is None) or (low is not None and high is not None and high < low):
        details.append(ErrorDetail("give both voltage_min_v and voltage_max_v, min <= max",
                                   field=f"{field_prefix}voltage_max_v", code="catalog.invalid_range"))
    if values.get("cost_price") is not None and not values.get("cost_currency"):
        details.append(ErrorDetail("a cost price needs its currency", field=f"{field_prefix}cost_currency",
                                   code="catalog.currency_required"))
    if values.get("battery_packing") == "none" and (values.get("battery_wh") or values.get("battery_chemistry")):
        details.append(ErrorDetail("battery packing is none but a battery is described",
                                   field=f"{field_prefix}battery_packing", code="catalog.battery_conflict"))
    currency = values.get("cost_currency")
    others = {s.cost_currency for s in siblings if s.cost_currency}
    if currency and others and others != {currency}:
        details.append(ErrorDetail(f"the product's other variants cost in {', '.join(sorted(others))}",
                                   field=f"{field_prefix}cost_currency", code="catalog.mixed_currencies"))
    if details:
        raise ValidationFailed(details[0].message, details=details)


def _refresh_search(product: Product) -> None:
    for variant in product.variants:
        variant.search_text = search_text(variant.sku, variant.variant_name, product.title, product.brand,
                                          variant.hs_code)


def _ensure_sku_free(session: Session, organization_id: str, skus: list[str], exclude_id: str | None = None) -> None:
    stmt = select(Variant.sku).where(Variant.organization_id == organization_id, Variant.sku.in_(skus))
    if exclude_id is not None:
        stmt = stmt.where(Variant.id != exclude_id)
    taken = sorted(session.scalars(stmt))
    if taken or len(set(skus)) != len(skus):
        dupes = taken or sorted({s for s in skus if skus.count(s) > 1})
        raise Conflict(f"SKU already exists: {', '.join(dupes)}", code="catalog.duplicate_sku",
                       details=[ErrorDetail(f"SKU {s!r} already exists", field="sku", code="catalog.duplicate_sku")
                                for s in dupes])


def create_product(session: Session, *, organization_id: str, data: ProductIn) -> ProductOut:
    ref = data.product_ref or (data.variants[0].sku if data.variants else None)
    if ref is None:
        raise ValidationFailed("give product_ref or at least one variant",
                               details=[ErrorDetail("required without variants", field="product_ref",
                                                    code="catalog.required")])
    exists = session.scalar(select(Product.id).where(Product.organization_id == organization_id,
                                                     Product.product_ref == ref))
    if exists is not None:
        raise Conflict(f"product {ref!r} already exists", code="catalog.duplicate_product_ref",
                       details=[ErrorDetail("already exists", field="product_ref",
                                            code="catalog.duplicate_product_ref")])
    _ensure_sku_free(session, organization_id, [v.sku for v in data.variants])
    product = Product(organization_id=organization_id, product_ref=ref,
                      **data.model_dump(include=set(PRODUCT_FIELDS) - {"product_ref"}))
    for index, item in enumerate(data.variants):
        values = item.model_dump()
        _check_variant(values, product.variants, field_prefix=f"variants.{index}.")
        product.variants.append(Variant(organization_id=organization_id, **values))
    _refresh_search(product)
    session.add(product)
    session.flush()
    return ProductOut.model_validate(product)


def get_product(session: Session, *, organization_id: str, product_id: str) -> ProductOut:
    return ProductOut.model_validate(_product(session, organization_id, product_id))


def update_product(session: Session, *, organization_id: str, product_id: str, patch: ProductPatch) -> ProductOut:
    product = _product(session, organization_id, product_id)
    changes = patch.model_dump(exclude_unset=True)
    if changes.get("title", "") is None or changes.get("product_ref", "") is None:
        raise ValidationFailed("title and product_ref cannot be cleared",
                               details=[ErrorDetail("required", field="title", code="catalog.required")])
    if "product_ref" in changes and changes["product_ref"] != product.product_ref:
        taken = session.scalar(select(Product.id).where(Product.organization_id == organization_id,
                                                        Product.product_ref == changes["product_ref"]))
        if taken is not None:
            raise Conflict("product_ref already exists", code="catalog.duplicate_product_ref")
    for name, value in changes.items():
        setattr(product, name, value)
    _refresh_search(product)
    session.flush()
    return ProductOut.model_validate(product)


def delete_product(session: Session, *, organization_id: str, product_id: str) -> None:
    session.delete(_product(session, organization_id, product_id))
    session.flush()


def create_variant(session: Session, *, organization_id: str, product_id: str, data: VariantIn) -> VariantOut:
    product = _product(session, organization_id, product_id)
    _ensure_sku_free(session, organization_id, [data.sku])
    values = data.model_dump()
    _check_variant(values, list(product.variants))
    variant = Variant(organization_id=organization_id, **values)
    product.variants.append(variant)
    _refresh_search(product)
    session.flush()
    return VariantOut.model_validate(variant)


def get_variant(session: Session, *, organization_id: str, variant_id: str) -> VariantOut:
    return VariantOut.model_validate(_variant(session, organization_id, variant_id))


def get_variant_by_sku(session: Session, *, organization_id: str, sku: str) -> VariantOut:
    variant = session.scalar(select(Variant).where(Variant.organization_id == organization_id, Variant.sku == sku))
    if variant is None:
        raise _not_found("variant")
    return VariantOut.model_validate(variant)


def update_variant(session: Session, *, organization_id: str, variant_id: str, patch: VariantPatch) -> VariantOut:
    variant = _variant(session, organization_id, variant_id)
    changes = patch.model_dump(exclude_unset=True)
    if "sku" in changes:
        if changes["sku"] is None:
            raise ValidationFailed("sku cannot be cleared",
                                   details=[ErrorDetail("required", field="sku", code="catalog.required")])
        _ensure_sku_free(session, organization_id, [changes["sku"]], exclude_id=variant.id)
    current = {name: getattr(variant, name) for name in VariantPatch.model_fields if name != "sku"}
    siblings = [v for v in variant.product.variants if v.id != variant.id]
    _check_variant({**current, **changes}, siblings)
    for name, value in changes.items():
        setattr(variant, name, value)
    _refresh_search(variant.product)
    session.flush()
    return VariantOut.model_validate(variant)


def delete_variant(session: Session, *, organization_id: str, variant_id: str) -> None:
    """Delete one SKU; its product stays (with no variants) until deleted itself."""
    variant = _variant(session, organization_id, variant_id)
    variant.product.variants.remove(variant)  # delete-orphan: keeps the loaded collection in step
    session.flush()


def list_variants(session: Session, *, organization_id: str, query: str | None = None, cursor: str | None = None,
                  limit: int = 50, hs_prefix: str | None = None, brand: str | None = None,
                  category: str | None = None, origin_country: str | None = None, has_battery: bool | None = None,
                  has_wireless: bool | None = None, product_id: str | None = None) -> Page[VariantSummary]:
    """Variants ordered by SKU, `limit` per page.

    `query` of 3+ characters matches anywhere in SKU, variant name, title, brand and HS code; a shorter one matches
    the start of the SKU or the brand (see catalog/search.py).
    """
    _check_limit(limit)
    stmt = _variant_summaries().where(Variant.organization_id == organization_id).limit(limit + 1)
    term = search.parse_query(query)
    if term is not None:
        keys = None if search.planner_decides(session, term) else search.candidate_keys(
            session, organization_id=organization_id, term=term)
        if keys == []:
            return Page(items=[], next_cursor=None)
        stmt = stmt.where(search.scan_filter(term) if keys is None else search.key_filter(session, keys))
    if hs_prefix:
        digits = "".join(ch for ch in hs_prefix if ch.isdigit())
        stmt = stmt.where(Variant.hs_code.like(f"{digits}%"))
    if brand:
        stmt = stmt.where(func.lower(Product.brand) == brand.strip().lower())
    if category:
        stmt = stmt.where(Product.category == category)
    if origin_country:
        stmt = stmt.where(Variant.origin_country == origin_country.strip().upper())
    if has_battery is not None:
        stmt = stmt.where(_has_battery() == has_battery)
    if has_wireless is not None:
        stmt = stmt.where(_has_wireless() == has_wireless)
    if product_id:
        stmt = stmt.where(Variant.product_id == product_id)
    if cursor:
        stmt = stmt.where(Variant.sku > _cursor_key(cursor))
    rows = session.execute(stmt).all()
    # one validation call for the page (pydantic-core loops in Rust), not a model constructor per row
    items = _SUMMARY_LIST.validate_python([dict(zip(_SUMMARY_FIELDS, row, strict=True)) for row in rows[:limit]])
    next_cursor = encode_cursor(items[-1].sku) if len(rows) > limit else None
    return Page(items=items, next_cursor=next_cursor)


def page_found_by_index(*, query: str | None = None, filters: tuple[object, ...] = ()) -> bool:
    """Whether a list page is found through an index alone (SKU order, trigram keys) rather than by walking the
    SKU index until enough rows pass a filter: `filters` are the optional filters other than `product_id`, and a
    one- or two-character CJK word is matched by such a walk. Lets a caller run bounded pages inline."""
    term = search.parse_query(query)
    return all(value is None or value == "" for value in filters) and not (term is not None and term.short_cjk)


_SUMMARY_LIST = TypeAdapter(list[VariantSummary])
_SUMMARY_FIELDS = tuple(VariantSummary.model_fields)


@cache
def _variant_summaries() -> Select[Any]:
    """The list statement's columns, join and order, built once (the hot path only adds its filters)."""
    columns = (Variant.id, Variant.product_id, Product.product_ref, Variant.sku, Variant.variant_name, Product.title,
               Product.brand, Product.category, Variant.hs_code, Variant.origin_country, Variant.cost_price,
               Variant.cost_currency, _has_battery().label("has_battery"), _has_wireless().label("has_wireless"))
    stmt: Select[Any] = select(*columns).join(Product, Product.id == Variant.product_id).order_by(Variant.sku)
    if tuple(stmt.selected_columns.keys()) != _SUMMARY_FIELDS:
        raise AssertionError("VariantSummary fields and the list statement's columns differ")
    return stmt


def list_products(session: Session, *, organization_id: str, query: str | None = None, cursor: str | None = None,
                  limit: int = 50) -> Page[ProductSummary]:
    """Products ordered by product_ref, `limit` per page; `query` finds products through their variants' search
    text, exactly as `list_variants` does (so a product without variants is listed but never found by `query`)."""
    _check_limit(limit)
    count = (select(func.count()).select_from(Variant).where(Variant.product_id == Product.id)
             .correlate(Product).scalar_subquery())
    stmt = (select(Product.id, Product.product_ref, Product.title, Product.brand, Product.category,
                   Product.source_language, count.label("variant_count"), Product.updated_at)
            .where(Product.organization_id == organization_id)
            .order_by(Product.product_ref).limit(limit + 1))
    term = search.parse_query(query)
    if term is not None:
        keys = search.candidate_keys(session, organization_id=organization_id, term=term)
        if keys is None:  # many matches: walk products in order and stop after one page
            stmt = stmt.where(exists(select(Variant.id).where(Variant.product_id == Product.id,
                                                              search.scan_filter(term))))
        else:
            ids = sorted(set(session.scalars(select(Variant.product_id).where(search.key_filter(session, keys)))))
            if not ids:
                return Page(items=[], next_cursor=None)
            stmt = stmt.where(Product.id.in_(ids))
    if cursor:
        stmt = stmt.where(Product.product_ref > _cursor_key(cursor))
    rows = session.execute(stmt).all()
    items = [ProductSummary(**row._asdict()) for row in rows[:limit]]
    next_cursor = encode_cursor(items[-1].product_ref) if len(rows) > limit else None
    return Page(items=items, next_cursor=next_cursor)


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed(f"limit must be 1..{MAX_PAGE}",
                               details=[ErrorDetail(f"must be 1..{MAX_PAGE}", field="limit", code="catalog.limit")])


def _cursor_key(cursor: str) -> str:
    key = decode_cursor(cursor)
    if len(key) != 1 or not isinstance(key[0], str):
        raise ValidationFailed("cursor: not a cursor returned by this API", code="invalid_cursor")
    return key[0]


def catalog_stats(session: Session, *, organization_id: str, top: int = 12) -> CatalogStats:
    """Counts for the dashboard; buckets beyond `top` are summed into key "other".

    One grouped pass yields variants per (origin, HS code[, category]) with the battery and weight flags; those few
    hundred groups are rolled up into the buckets and totals. SQLite streams the covering index
    ix_catalog_variant_org_stats and counts categories per product through the product_id index (joining every
    row would cost more); PostgreSQL does it all in one hash join. Wireless bands come from a partial index.
    """
    org = Variant.organization_id == organization_id
    sqlite = session.get_bind().dialect.name == "sqlite"

    def flag(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    dims: list[Any] = [Variant.origin_country, Variant.hs_code] + ([] if sqlite else [Product.category])
    stmt = select(*dims, func.count(), flag(_has_battery() == True),  # noqa: E712
                  flag(Variant.net_weight_kg.is_(None))).where(org).group_by(*dims)
    cube = session.execute(stmt if sqlite else stmt.join(Product, Product.id == Variant.product_id)).all()
    origins: dict[str | None, int] = {}
    chapters: dict[str | None, int] = {}
    categories: dict[str | None, int] = {}
    for row in cube:  # rolls up groups, not rows
        n = int(row[-3])
        origins[row[0]] = origins.get(row[0], 0) + n
        chapters[row[1] and row[1][:2]] = chapters.get(row[1] and row[1][:2], 0) + n
        if not sqlite:
            categories[row[2]] = categories.get(row[2], 0) + n
    if sqlite:
        per_product = (select(func.count()).select_from(Variant).where(Variant.product_id == Product.id)
                       .correlate(Product).scalar_subquery())
        categories = {key: int(n) for key, n in session.execute(
            select(Product.category, func.sum(per_product)).where(Product.organization_id == organization_id)
            .group_by(Product.category)) if n}
    wireless = session.scalar(select(func.count()).select_from(Variant).where(org, text(WIRELESS_SQL)))
    products = session.scalar(select(func.count()).select_from(Product)
                              .where(Product.organization_id == organization_id))
    return CatalogStats(
        products=int(products or 0),
        variants=sum(origins.values()),
        by_category=_top_buckets(list(categories.items()), top),
        by_origin=_top_buckets(list(origins.items()), top),
        by_hs_chapter=_top_buckets(list(chapters.items()), top),
        with_battery=sum(int(row[-2]) for row in cube),
        with_wireless=int(wireless or 0),
        missing_hs_code=chapters.get(None, 0),
        missing_weight=sum(int(row[-1]) for row in cube),
    )


def _top_buckets(counts: list[tuple[str | None, int]], top: int) -> list[CountBucket]:
    ranked = sorted(counts, key=lambda kn: (-kn[1], kn[0] is None, kn[0] or ""))
    result = [CountBucket(key=key, count=n) for key, n in ranked[:top]]
    if len(ranked) > top:
        result.append(CountBucket(key="other", count=sum(n for _key, n in ranked[top:])))
    return result


def import_products(session: Session, *, organization_id: str, filename: str, content: bytes, dry_run: bool = False,
                    limits: ImportLimits, progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Validate the whole file, then (unless `dry_run` or any error) upsert by SKU. See docs/import-template.md."""
    return run_import(session, organization_id=organization_id, filename=filename, content=content, dry_run=dry_run,
                      limits=limits, progress=progress)


def export_products(session: Session, *, organization_id: str, fmt: Literal["csv", "xlsx"] = "csv",
                    language: Literal["en", "zh"] = "en") -> bytes:
    """The whole catalog in the import template's layout; importing the result changes nothing."""
    if fmt not in ("csv", "xlsx") or language not in ("en", "zh"):
        raise ValidationFailed("format must be csv or xlsx and language en or zh", code="catalog.export_options")
    keys: set[str] = set()
    for attributes in session.scalars(select(Variant.attributes).where(Variant.organization_id == organization_id,
                                                                       Variant.attributes.is_not(None))):
        keys.update(attributes or {})
    names, labels = writers.export_header(language, sorted(keys))
    stmt = (select(Variant, Product).join(Product, Product.id == Variant.product_id)
            .where(Variant.organization_id == organization_id)
            .order_by(Product.product_ref, Variant.sku).execution_options(yield_per=1000))
    typed = fmt == "xlsx"

    def rows() -> Any:
        for variant, product in session.execute(stmt):
            record: dict[str, Any] = {c: getattr(variant, c) for c in _EXPORT_VARIANT_FIELDS}
            record.update({c: getattr(product, c) for c in PRODUCT_FIELDS})
            record["product_id"] = product.product_ref
            yield writers.render_cells(record, names, typed=typed)

    return writers.write_xlsx(labels, rows()) if typed else writers.write_csv(labels, rows())


_EXPORT_VARIANT_FIELDS = tuple(name for name in VariantOut.model_fields
                               if name not in {"id", "product_id", "created_at", "updated_at"})
