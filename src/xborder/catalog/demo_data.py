"""Access to the demo catalog files of 深圳声悦电子 shipped in `xborder/demo/data` (used by the demo and tests)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["demo_catalog_bad_csv", "demo_catalog_csv", "demo_data_dir"]


def demo_data_dir() -> Path:
    # A path, not an import: the demo package sits above catalog in the layers and must not be imported here.
    return Path(__file__).resolve().parent.parent / "demo" / "data"


def demo_catalog_csv() -> bytes:
    """120 SKUs with Chinese headers, UTF-8 with BOM: imports cleanly."""
    return (demo_data_dir() / "shengyue_catalog_zh.csv").read_bytes()


def demo_catalog_bad_csv() -> bytes:
    """The same sheet with the journey's three problems: an unknown HS code, a negative weight, a duplicate SKU."""
    return (demo_data_dir() / "shengyue_catalog_bad.csv").read_bytes()
