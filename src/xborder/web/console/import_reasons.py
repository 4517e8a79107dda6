"""Short, translatable explanations of catalog import error codes, shown beside the importer's own message."""

from __future__ import annotations

__all__ = ["REASONS"]


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a message for extraction; it is translated where it is shown."""
    return message


REASONS: dict[str, str] = {
    "catalog.unknown_hs_code": N_("Not an HS 2022 code"),
    "catalog.must_be_positive": N_("Must be greater than 0"),
    "catalog.duplicate_sku": N_("This SKU appears more than once"),
    "catalog.duplicate_product_ref": N_("This product ID is already used"),
    "catalog.required": N_("Required value is empty"),
    "catalog.not_a_number": N_("Not a number"),
    "catalog.invalid_enum": N_("Not one of the allowed values"),
    "catalog.mixed_currencies": N_("One product uses several cost currencies"),
    "catalog.currency_required": N_("A cost price needs a currency"),
    "catalog.gross_below_net": N_("Gross weight is below net weight"),
    "catalog.battery_conflict": N_("Battery fields contradict each other"),
    "catalog.invalid_country": N_("Unknown country"),
    "catalog.invalid_currency": N_("Unknown currency"),
    "catalog.invalid_language": N_("Unknown language"),
    "catalog.invalid_url": N_("Not a web address"),
    "catalog.negative_price": N_("Price cannot be negative"),
    "catalog.too_long": N_("Text is too long"),
    "catalog.too_precise": N_("Too many decimal places"),
    "catalog.out_of_range": N_("Value out of range"),
    "catalog.invalid_range": N_("Invalid range"),
    "catalog.product_field_conflict": N_("Rows of the same product disagree on a product field"),
    "catalog.missing_column": N_("A required column is missing"),
    "catalog.duplicate_column": N_("A column appears twice"),
    "catalog.unknown_header": N_("Unknown column (ignored)"),
    "catalog.malformed_file": N_("The file cannot be read"),
    "catalog.undecodable": N_("Unknown text encoding"),
    "catalog.unsupported_format": N_("Only CSV and XLSX files are supported"),
    "catalog.zip_bomb": N_("The XLSX file expands too much to be safe"),
    "catalog.file_too_large": N_("The file is too large"),
    "catalog.too_many_rows": N_("Too many rows"),
    "catalog.too_many_errors": N_("Too many errors: checking stopped"),
    "catalog.empty_file": N_("The file is empty"),
}
