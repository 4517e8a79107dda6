"""Rule-pack file format (`jurisdictions/<cc>/rules.yaml`): pydantic models and the parser that names the rule and
field of every problem. Format reference: docs/compliance.md.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from xborder.compliance.conditions import Condition, parse_condition
from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = [
    "CHANNELS",
    "EVIDENCE_TYPES",
    "TRANSPORT_MODES",
    "EvidenceSpec",
    "Kind",
    "PackFile",
    "Rule",
    "RuleSpec",
    "Severity",
    "SourceRef",
    "parse_pack_file",
]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_RULE_ID = re.compile(r"^[a-z]{2,4}\.[a-z0-9_]+(\.[a-z0-9_]+)*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")

CHANNELS = ("marketplace", "webshop", "b2b", "retail")
TRANSPORT_MODES = ("air", "sea", "road", "rail", "postal")
EVIDENCE_TYPES = ("declaration_of_conformity", "certificate", "test_report", "registration", "label", "document",
                  "authorization", "representative")


class Kind(str, Enum):
    CERTIFICATE_OR_DECLARATION = "certificate_or_declaration"
    TEST_REPORT = "test_report"
    REGISTRATION_NUMBER = "registration_number"
    LABEL_OR_MARKING = "label_or_marking"
    DOCUMENT = "document"
    RESTRICTED = "restricted"
    PROHIBITED = "prohibited"


class Severity(str, Enum):
    """blocking: the product may not be sold/shipped without it; required: a legal duty; advisory: good practice."""

    BLOCKING = "blocking"
    REQUIRED = "required"
    ADVISORY = "advisory"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedTitle(_Strict):
    en: str = Field(min_length=3)
    zh: str = Field(min_length=2)

    @field_validator("zh")
    @classmethod
    def _chinese(cls, value: str) -> str:
        if not _CJK.search(value):
            raise ValueError("the Chinese title has no Chinese characters")
        return value


class SourceRef(_Strict):
    title: str = Field(min_length=3)
    href: str

    @field_validator("href")
    @classmethod
    def _https(cls, value: str) -> str:
        if not re.match(r"^https://[^\s/]+\.[^\s]+$", value):
            raise ValueError("href must be an https:// URL")
        return value


class EvidenceSpec(_Strict):
    """Evidence that satisfies a requirement: a type plus the scheme it must be issued under (e.g. ce-red)."""

    type: Literal["declaration_of_conformity", "certificate", "test_report", "registration", "label", "document",
                  "authorization", "representative"]
    scheme: str
    standard: str | None = None

    @field_validator("scheme")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("scheme must be a lower-case slug such as ce-red or de-weee")
        return value


class RuleSpec(_Strict):
    id: str
    title: LocalizedTitle
    kind: Kind
    severity: Severity
    when: Any = None
    markets: tuple[str, ...] | None = None
    channels: tuple[Literal["marketplace", "webshop", "b2b", "retail"], ...] | None = None
    transport_modes: tuple[Literal["air", "sea", "road", "rail", "postal"], ...] | None = None
    evidence: tuple[EvidenceSpec, ...] = ()
    source: SourceRef
    valid_from: date
    valid_to: date | None = None
    checked_on: date
    certainty: Literal["confirmed", "uncertain", "disputed"] = "confirmed"
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _RULE_ID.match(value):
            raise ValueError("rule id must look like 'eu.gpsr.responsible_person' (market code, then slugs)")
        return value

    @field_validator("markets")
    @classmethod
    def _markets(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and (not value or not all(re.match(r"^[A-Z]{2}$", m) for m in value)):
            raise ValueError("markets must be a non-empty list of ISO alpha-2 codes")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RuleSpec:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}: the rule never applies")
        if self.certainty != "confirmed" and not (self.note or "").strip():
            raise ValueError(f"certainty {self.certainty} needs a note saying what is unclear")
        if self.kind is Kind.PROHIBITED and self.evidence:
            raise ValueError("a prohibited rule cannot be satisfied by evidence; use kind restricted")
        if self.kind is not Kind.PROHIBITED and not self.evidence:
            raise ValueError(f"kind {self.kind.value} needs at least one evidence entry that satisfies it")
        return self


class PackFile(_Strict):
    jurisdiction: str
    extends: str | None = None
    version: str = Field(min_length=1)
    published_on: date
    # YAML anchors for conditions shared by several rules (`*eee`); never read by the evaluator
    definitions: dict[str, Any] = Field(default_factory=dict)
    rules: tuple[RuleSpec, ...] = ()


class Rule:
    """A validated rule with its compiled condition (None = applies to every product)."""

    __slots__ = ("condition", "origin", "spec", "wanted")

    def __init__(self, spec: RuleSpec, condition: Condition | None, origin: str) -> None:
        self.spec = spec
        self.condition = condition
        self.origin = origin
        # (evidence type, scheme) pairs any one of which satisfies the rule
        self.wanted = frozenset((e.type, e.scheme) for e in spec.evidence)

    @property
    def id(self) -> str:
        return self.spec.id

    def in_force(self, on: date) -> bool:
        return self.spec.valid_from <= on and (self.spec.valid_to is None or on <= self.spec.valid_to)

    def attributes(self) -> frozenset[str]:
        return self.condition.attributes() if self.condition is not None else frozenset()

    def fingerprint(self) -> str:
        """Canonical JSON of the spec, for semantic diffs (two rules with equal fingerprints are identical)."""
        return self.spec.model_dump_json()


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def parse_pack_file(data: Any, *, source: str) -> tuple[PackFile, list[Rule]]:
    """Validate one rules.yaml document and compile its conditions.

    Raises:
        ValidationFailed: every problem as an ErrorDetail whose `field` is `<rule id>.<field>` (or the pack key).
    """
    errors: list[ErrorDetail] = []
    if not isinstance(data, dict):
        raise ValidationFailed(f"{source}: a rule pack is a mapping with jurisdiction, version, published_on, rules",
                               details=[ErrorDetail("not a mapping", field=source, code="compliance.invalid_pack")])
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        raw_rules = []
        errors.append(ErrorDetail("rules must be a list", field="rules", code="compliance.invalid_pack"))
    header = {k: v for k, v in data.items() if k != "rules"}
    try:
        pack = PackFile.model_validate(header)
    except ValidationError as exc:
        for err in exc.errors():
            errors.append(ErrorDetail(err["msg"], field=_field_path(err["loc"]), code="compliance.invalid_pack"))
        pack = None
    rules: list[Rule] = []
    specs: list[RuleSpec] = []
    for index, raw in enumerate(raw_rules):
        rule_id = raw.get("id") if isinstance(raw, dict) else None
        name = str(rule_id) if rule_id else f"rules[{index}]"
        try:
            spec = RuleSpec.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                path = _field_path(err["loc"])
                errors.append(ErrorDetail(f"rule {name}: {err['msg']}", field=f"{name}.{path}" if path else name,
                                          code="compliance.invalid_rule"))
            continue
        rule_errors: list[ErrorDetail] = []
        condition = parse_condition(spec.when, f"{name}.when", rule_errors) if spec.when is not None else None
        for problem in rule_errors:
            errors.append(ErrorDetail(f"rule {name}: {problem.message}", field=problem.field,
                                      code=problem.code or "compliance.invalid_condition"))
        specs.append(spec)
        rules.append(Rule(spec, condition, origin=str(data.get("jurisdiction", "?")).lower()))
    if errors or pack is None:
        raise ValidationFailed(f"{source}: {len(errors)} problem(s) in the rule pack", details=errors)
    return pack.model_copy(update={"rules": tuple(specs)}), rules
