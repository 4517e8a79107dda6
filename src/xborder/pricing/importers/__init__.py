"""Importers turning official tariff files (USITC HTS CSV/JSON, UK tariff CSV, EU CET/TARIC CSV) into schedule lines,
and a plain `code,rate` table for every other market.

Each returns `ScheduleLine`s whose rates are canonical text (see `pricing.rates`); what a parser cannot read exactly
becomes `unsupported: <official text>` so a quote on that line fails loudly instead of guessing.
"""

from xborder.pricing.importers.common import ScheduleLine, read_lines, write_lines
from xborder.pricing.importers.rate_table import import_rate_table_csv, normalize_rate_text
from xborder.pricing.importers.uk_eu import import_eu_taric_csv, import_uk_tariff_csv, parse_eu_uk_rate
from xborder.pricing.importers.us_hts import import_hts_csv, import_hts_json, parse_hts_rate

__all__ = [
    "ScheduleLine",
    "import_eu_taric_csv",
    "import_hts_csv",
    "import_hts_json",
    "import_rate_table_csv",
    "import_uk_tariff_csv",
    "normalize_rate_text",
    "parse_eu_uk_rate",
    "parse_hts_rate",
    "read_lines",
    "write_lines",
]
