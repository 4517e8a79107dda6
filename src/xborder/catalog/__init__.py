"""Catalog: products and their variants (SKUs) with the attributes compliance, pricing and logistics need.

Public API for other domains, the web and the CLI; bulk import/export follows docs/import-template.md.
"""

from xborder.catalog.demo_data import demo_catalog_bad_csv, demo_catalog_csv
from xborder.catalog.models import Product, Variant
from xborder.catalog.parsing import ParsedRow, parse_products_file
from xborder.catalog.readers import check_xlsx_container, decode_csv
from xborder.catalog.schemas import (
    CatalogStats,
    CountBucket,
    ImportIssue,
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
from xborder.catalog.service import (
    catalog_stats,
    create_product,
    create_variant,
    delete_product,
    delete_variant,
    export_products,
    get_product,
    get_variant,
    get_variant_by_sku,
    import_products,
    list_products,
    list_variants,
    page_found_by_index,
    update_product,
    update_variant,
)
from xborder.catalog.template import COLUMNS, header_label
from xborder.catalog.writers import neutralize

__all__ = [
    "COLUMNS",
    "CatalogStats",
    "CountBucket",
    "ImportIssue",
    "ImportReport",
    "ParsedRow",
    "Product",
    "ProductIn",
    "ProductOut",
    "ProductPatch",
    "ProductSummary",
    "Variant",
    "VariantIn",
    "VariantOut",
    "VariantPatch",
    "VariantSummary",
    "catalog_stats",
    "check_xlsx_container",
    "create_product",
    "create_variant",
    "decode_csv",
    "delete_product",
    "delete_variant",
    "demo_catalog_bad_csv",
    "demo_catalog_csv",
    "export_products",
    "get_product",
    "get_variant",
    "get_variant_by_sku",
    "header_label",
    "import_products",
    "list_products",
    "list_variants",
    "neutralize",
    "page_found_by_index",
    "parse_products_file",
    "update_product",
    "update_variant",
]
