"""Compliance engine: per-market requirement checklists from rules-as-data (markets/jurisdictions/*/rules.yaml).

Pure core: `evaluate_product` / `evaluate_batch` over `ProductFacts`, a `RuleLibrary` and `Evidence`.
Services: evidence vault, stored verdicts with history, readiness matrix, rule-pack updates with alerts.
"""

from xborder.compliance.attributes import ATTRIBUTES, AttributeSpec, ProductFacts, facts_from_mapping
from xborder.compliance.batch import BatchResult, evaluate_batch
from xborder.compliance.diff import RuleChange, affected_skus, diff_libraries
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
from xborder.compliance.evidence import (
    EvidenceOut,
    get_evidence_file,
    list_evidence,
    scan_expiring_evidence,
    upload_evidence,
)
from xborder.compliance.monitoring import (
    AlertOut,
    DeliveryReport,
    PackUpdate,
    deliver_alerts,
    list_alerts,
    load_rule_pack,
    mark_alert_read,
    subscribe_alerts,
)
from xborder.compliance.packs import RuleLibrary, load_library, load_library_from, packs_root, parse_library
from xborder.compliance.products import read_products_file
from xborder.compliance.schema import Kind, Rule, Severity
from xborder.compliance.service import (
    EvaluationSummary,
    MatrixCell,
    ReadinessMatrix,
    VerdictRecord,
    active_library,
    evaluate_catalog,
    readiness_matrix,
    reevaluate_after_evidence,
    verdict_on,
)
from xborder.compliance.validate import lint_library

__all__ = [
    "ATTRIBUTES",
    "AlertOut",
    "Assessment",
    "AttributeSpec",
    "BatchResult",
    "Checklist",
    "Context",
    "DeliveryReport",
    "EvaluationSummary",
    "Evidence",
    "EvidenceOut",
    "Kind",
    "MatrixCell",
    "PackUpdate",
    "ProductFacts",
    "ReadinessMatrix",
    "RequirementResult",
    "Rule",
    "RuleChange",
    "RuleLibrary",
    "Severity",
    "Status",
    "Verdict",
    "VerdictRecord",
    "active_library",
    "affected_skus",
    "deliver_alerts",
    "diff_libraries",
    "evaluate_batch",
    "evaluate_catalog",
    "evaluate_product",
    "facts_from_mapping",
    "get_evidence_file",
    "lint_library",
    "list_alerts",
    "list_evidence",
    "load_library",
    "load_library_from",
    "load_rule_pack",
    "mark_alert_read",
    "packs_root",
    "parse_library",
    "read_products_file",
    "readiness_matrix",
    "reevaluate_after_evidence",
    "scan_expiring_evidence",
    "subscribe_alerts",
    "upload_evidence",
    "verdict_on",
]
