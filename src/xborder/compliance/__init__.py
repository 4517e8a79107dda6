"""Compliance engine: per-market requirement checklists from rules-as-data (jurisdictions/*/rules.yaml).

Pure core: `evaluate_product` / `evaluate_batch` over `ProductFacts`, a `RuleLibrary` and `Evidence`.
"""

from xborder.compliance.attributes import ATTRIBUTES, AttributeSpec, ProductFacts, facts_from_mapping
from xborder.compliance.batch import BatchResult, evaluate_batch
from xborder.compliance.evaluate import (
    Assessment,
    Checklist,
    Context,
    Evidence,
    RequirementResult,
    Status,
    Verdict,
    evaluate_product,
)
from xborder.compliance.packs import RuleLibrary, load_library, load_library_from, packs_root, parse_library
from xborder.compliance.schema import Kind, Rule, Severity

__all__ = [
    "ATTRIBUTES",
    "Assessment",
    "AttributeSpec",
    "BatchResult",
    "Checklist",
    "Context",
    "Evidence",
    "Kind",
    "ProductFacts",
    "RequirementResult",
    "Rule",
    "RuleLibrary",
    "Severity",
    "Status",
    "Verdict",
    "evaluate_batch",
    "evaluate_product",
    "facts_from_mapping",
    "load_library",
    "load_library_from",
    "packs_root",
    "parse_library",
]
