"""Listing localization studio: QA checks per market and channel, translation memory, glossary, MT providers.

Sits above catalog: it reads products and market facts; culture packs and marketplace rules are data in this package.
"""

from xborder.localization.channels import ChannelRules, FieldRule, available_channels, channel_rules
from xborder.localization.checks.base import ListingText, QaContext
from xborder.localization.culture import CulturePack, available_packs, culture_pack
from xborder.localization.listing_csv import parse_listing_csv
from xborder.localization.qa import (
    QaResult,
    build_qa_context,
    check_codes,
    qa_listing_file,
    run_qa,
    run_qa_batch,
    run_qa_markets,
)
from xborder.localization.service import (
    GlossaryImport,
    TmImport,
    TmMatch,
    add_segment,
    export_tmx,
    get_glossary,
    import_glossary,
    import_tmx,
    lookup_tm,
)
from xborder.localization.termbase import Glossary, TermEntry
from xborder.localization.tm_index import TmIndex

__all__ = [
    "ChannelRules",
    "CulturePack",
    "FieldRule",
    "Glossary",
    "GlossaryImport",
    "ListingText",
    "QaContext",
    "QaResult",
    "TermEntry",
    "TmImport",
    "TmIndex",
    "TmMatch",
    "add_segment",
    "available_channels",
    "available_packs",
    "build_qa_context",
    "channel_rules",
    "check_codes",
    "culture_pack",
    "export_tmx",
    "get_glossary",
    "import_glossary",
    "import_tmx",
    "lookup_tm",
    "parse_listing_csv",
    "qa_listing_file",
    "run_qa",
    "run_qa_batch",
    "run_qa_markets",
]
