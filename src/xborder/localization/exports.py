"""Listing exports and their import back: Shopify product CSV (documented columns, one row per variant, listing
texts in Title / Body (HTML) / Tags / SEO fields), a marketplace flat file, and JSON. Imports are all-or-nothing
and go through `update_listing`, so the workflow and revision history apply."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder import catalog
from xborder.kernel import ErrorDetail, ValidationFailed
from xborder.localization.listings import TEXT_FIELDS, ListingView, list_listings, update_listing
from xborder.localization.models import Listing

__all__ = ["FLAT_FILE_COLUMNS", "SHOPIFY_COLUMNS", "export_listings", "import_listings"]

# Shopify's product CSV columns ("Using CSV files to import and export products", Shopify Help Center).
SHOPIFY_COLUMNS = (
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published", "Option1 Name",
    "Option1 Value", "Variant SKU", "Variant Grams", "Variant Inventory Tracker", "Variant Inventory Policy",
    "Variant Fulfillment Service", "Variant Price", "Variant Requires Shipping", "Variant Taxable", "Image Src",
    "Image Position", "Image Alt Text", "Gift Card", "SEO Title", "SEO Description", "Status",
)
FLAT_FILE_COLUMNS = ("sku", "market", "language", "status", "item_name", "bullet_point1", "bullet_point2",
                     "bullet_point3", "bullet_point4", "bullet_point5", "product_description", "generic_keywords",
                     "meta_title", "meta_description", "listing_id", "version")


def _rows(session: Session, organization_id: str, market: str, language: str | None) -> list[tuple[Any, ListingView]]:
    found = []
    for view in list_listings(session, organization_id=organization_id, market=market):
        if language and view.language != language:
            continue
        found.append((catalog.get_product(session, organization_id=organization_id, product_id=view.product_id), view))
    return found


def _grams(kg: Any) -> str:
    return str(int((kg * 1000).to_integral_value())) if kg is not None else ""


def export_listings(session: Session, *, organization_id: str, market: str, file_format: str,
                    language: str | None = None) -> bytes:
    """Export one market's listings as `shopify` (CSV), `flat` (CSV) or `json`."""
    pairs = _rows(session, organization_id, market.upper(), language)
    if file_format == "json":
        return json.dumps([{"listing_id": v.id, "product_ref": p.product_ref, "market": v.market,
                            "language": v.language, "status": v.status, "version": v.version,
                            **{f: list(getattr(v, f)) if f in ("bullets", "keywords") else getattr(v, f)
                               for f in TEXT_FIELDS}} for p, v in pairs], ensure_ascii=False, indent=2).encode()
    out = io.StringIO()
    if file_format == "shopify":
        writer = csv.writer(out)
        writer.writerow(SHOPIFY_COLUMNS)
        for product, view in pairs:
            body = view.description if "<" in view.description else "".join(
                f"<p>{line}</p>" for line in view.description.splitlines() if line.strip())
            if view.bullets:
                body += "<ul>" + "".join(f"<li>{b}</li>" for b in view.bullets) + "</ul>"
            for index, variant in enumerate(product.variants or [None]):
                first = index == 0
                row = dict.fromkeys(SHOPIFY_COLUMNS, "")
                row.update({"Handle": product.product_ref.lower(), "Variant SKU": variant.sku if variant else "",
                            "Option1 Name": "Title" if first else "", "Option1 Value":
                            (variant.variant_name or "Default Title") if variant else "Default Title",
                            "Variant Grams": _grams(variant.net_weight_kg) if variant else "",
                            "Variant Inventory Policy": "deny", "Variant Fulfillment Service": "manual",
                            "Variant Requires Shipping": "TRUE", "Variant Taxable": "TRUE", "Gift Card": "FALSE"})
                if first:
                    row.update({"Title": view.title, "Body (HTML)": body, "Vendor": product.brand or "",
                                "Type": product.category or "", "Tags": ", ".join(view.keywords),
                                "Published": "TRUE" if view.status == "published" else "FALSE",
                                "SEO Title": view.meta_title, "SEO Description": view.meta_description,
                                "Status": "active" if view.status == "published" else "draft"})
                writer.writerow([row[c] for c in SHOPIFY_COLUMNS])
    elif file_format == "flat":
        writer = csv.writer(out)
        writer.writerow(FLAT_FILE_COLUMNS)
        for product, view in pairs:
            bullets = list(view.bullets[:5]) + [""] * (5 - min(len(view.bullets), 5))
            sku = product.variants[0].sku if product.variants else product.product_ref
            writer.writerow([sku, view.market, view.language, view.status, view.title, *bullets, view.description,
                             " ".join(view.keywords), view.meta_title, view.meta_description, view.id, view.version])
    else:
        raise ValidationFailed(f"unknown export format {file_format!r} (shopify, flat or json)",
                               details=[ErrorDetail("shopify, flat or json", field="format")])
    return out.getvalue().encode("utf-8")


def _parse(content: bytes, file_format: str) -> list[dict[str, Any]]:
    if file_format == "json":
        try:
            data = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ValidationFailed(f"not valid JSON: {exc}", details=[ErrorDetail(str(exc), row=1)]) from None
        if not isinstance(data, list):
            raise ValidationFailed("the JSON must be a list of listings", details=[ErrorDetail("not a list", row=1)])
        return data
    text, _ = catalog.decode_csv(content)
    rows = list(csv.DictReader(io.StringIO(text)))
    if file_format == "flat":
        return [{"listing_id": r.get("listing_id"), "version": r.get("version"), "title": r.get("item_name", ""),
                 "description": r.get("product_description", ""),
                 "bullets": [r.get(f"bullet_point{i}", "") for i in range(1, 6)],
                 "keywords": (r.get("generic_keywords") or "").split(), "meta_title": r.get("meta_title", ""),
                 "meta_description": r.get("meta_description", "")} for r in rows]
    if file_format == "shopify":
        return [{"handle": r.get("Handle", ""), "title": r.get("Title", ""), "description": r.get("Body (HTML)", ""),
                 "keywords": [t.strip() for t in (r.get("Tags") or "").split(",") if t.strip()],
                 "meta_title": r.get("SEO Title", ""), "meta_description": r.get("SEO Description", "")}
                for r in rows if r.get("Title")]
    raise ValidationFailed(f"unknown import format {file_format!r}", details=[ErrorDetail("format", field="format")])


def import_listings(session: Session, *, organization_id: str, market: str, file_format: str, content: bytes,
                    language: str | None = None, user_id: str | None = None) -> int:
    """Apply an edited export back to the listings (every row or none). Rows name their listing by `listing_id`
    (JSON, flat file) or by Shopify `Handle` (product_ref, with `language` when a market has several)."""
    items = _parse(content, file_format)
    by_handle = {}
    if file_format == "shopify":
        by_handle = {p.product_ref.lower(): v for p, v in _rows(session, organization_id, market.upper(), language)}
    errors: list[ErrorDetail] = []
    plan: list[tuple[str, int, dict[str, Any]]] = []
    for number, item in enumerate(items, start=2 if file_format != "json" else 1):
        if file_format == "shopify":
            view = by_handle.get(str(item.get("handle", "")).lower())
            target = (view.id, view.version) if view else None
        else:
            row = session.scalar(select(Listing).where(Listing.organization_id == organization_id,
                                                       Listing.id == str(item.get("listing_id") or "")))
            target = (row.id, row.version) if row is not None and row.market == market.upper() else None
            if target and str(item.get("version") or target[1]) != str(target[1]):
                errors.append(ErrorDetail(f"listing changed since export (version {item.get('version')} → "
                                          f"{target[1]})", row=number, field="version",
                                          code="localization.stale_listing"))
                continue
        if target is None:
            errors.append(ErrorDetail("no such listing in this market", row=number, field="listing_id",
                                      code="localization.listing_not_found"))
            continue
        changes = {k: v for k, v in item.items() if k in TEXT_FIELDS}
        if file_format == "shopify" and "<ul>" in changes.get("description", ""):
            changes.pop("description")  # bullets were merged into Body (HTML); the description is not split back
        plan.append((target[0], target[1], changes))
    if errors:
        raise ValidationFailed(f"{len(errors)} problem(s); nothing was imported", details=errors,
                               code="localization.import_rejected")
    for listing_id, version, changes in plan:
        update_listing(session, organization_id=organization_id, listing_id=listing_id, expected_version=version,
                       changes=changes, user_id=user_id, note=f"imported ({file_format})")
    return len(plan)
