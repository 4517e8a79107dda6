"""Listing localization studio: QA checks per market and channel, translation memory, glossary, MT providers.

Sits above catalog: it reads products and market facts; culture packs and marketplace rules are data in this package.
"""

from xborder.localization.bulk import BulkFailure, BulkResult, approve_listings, bulk_targets, translate_products
from xborder.localization.channels import ChannelRules, FieldRule, available_channels, channel_rules
from xborder.localization.checks.base import ListingText, QaContext
from xborder.localization.culture import CulturePack, available_packs, culture_pack
from xborder.localization.dashboard import CodeCount, MarketQa, QaDashboard, qa_dashboard
from xborder.localization.exports import export_listings, import_listings
from xborder.localization.listing_csv import parse_listing_csv
from xborder.localization.listings import (
    ListingView,
    RevisionView,
    create_listing,
    generate_listing,
    get_listing,
    list_listings,
    list_revisions,
    qa_listing,
    transition_listing,
    update_listing,
)
from xborder.localization.mt_models import InstalledModel, install_mt_model, list_mt_models
from xborder.localization.providers import MtProvider, MtSettings, load_provider
from xborder.localization.qa import (
    QaResult,
    build_qa_context,
    check_codes,
    qa_listing_file,
    run_qa,
    run_qa_batch,
    run_qa_markets,
)
from xborder.localization.schemas import (
    BulkApproveIn,
    BulkTranslateIn,
    FindingOut,
    GenerateIn,
    ListingCreate,
    ListingPatch,
    QaOut,
    SegmentIn,
    TmLookupIn,
    TransitionIn,
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
from xborder.localization.studio import (
    BilingualFinding,
    EditorSegment,
    EditorView,
    GlossaryHit,
    back_translator,
    open_editor,
    page_listings,
    text_direction,
)
from xborder.localization.termbase import Glossary, TermEntry
from xborder.localization.tm_index import TmIndex
from xborder.localization.translate import SegmentResult, translate_segments

__all__ = [
    "BilingualFinding",
    "BulkApproveIn",
    "BulkFailure",
    "BulkResult",
    "BulkTranslateIn",
    "ChannelRules",
    "CodeCount",
    "CulturePack",
    "EditorSegment",
    "EditorView",
    "FieldRule",
    "FindingOut",
    "GenerateIn",
    "Glossary",
    "GlossaryHit",
    "GlossaryImport",
    "InstalledModel",
    "ListingCreate",
    "ListingPatch",
    "ListingText",
    "ListingView",
    "MarketQa",
    "MtProvider",
    "MtSettings",
    "QaContext",
    "QaDashboard",
    "QaOut",
    "QaResult",
    "RevisionView",
    "SegmentIn",
    "SegmentResult",
    "TermEntry",
    "TmImport",
    "TmIndex",
    "TmLookupIn",
    "TmMatch",
    "TransitionIn",
    "add_segment",
    "approve_listings",
    "available_channels",
    "available_packs",
    "back_translator",
    "build_qa_context",
    "bulk_targets",
    "channel_rules",
    "check_codes",
    "create_listing",
    "culture_pack",
    "export_listings",
    "export_tmx",
    "generate_listing",
    "get_glossary",
    "get_listing",
    "import_glossary",
    "import_listings",
    "import_tmx",
    "install_mt_model",
    "list_listings",
    "list_mt_models",
    "list_revisions",
    "load_provider",
    "lookup_tm",
    "open_editor",
    "page_listings",
    "parse_listing_csv",
    "qa_dashboard",
    "qa_listing",
    "qa_listing_file",
    "run_qa",
    "run_qa_batch",
    "run_qa_markets",
    "text_direction",
    "transition_listing",
    "translate_products",
    "translate_segments",
    "update_listing",
]
