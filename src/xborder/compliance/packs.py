"""Rule libraries: every `rules.yaml` of a jurisdictions tree (or a bundle file/URL), with `extends` resolved.

`load_library()` reads the shipped packs beside the market facts; `load_library_from(path_or_url)` reads a new
version for validation and diffing. A library is immutable; a new version is a new object.
"""

from __future__ import annotations

import hashlib
import json
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from xborder.compliance.schema import PackFile, Rule, parse_pack_file
from xborder.kernel import ErrorDetail, NotFound, ValidationFailed

__all__ = ["RuleLibrary", "library_from_content", "load_library", "load_library_from", "packs_root", "parse_library"]

_RULES = "rules.yaml"
_SHARED = frozenset({"eu", "intl"})  # folders that hold rules other packs extend, not a market of their own
_MAX_FEED_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class RuleLibrary:
    """Validated packs keyed by folder (`eu`, `de`...). `rules_for(market)` applies `extends`: a folder's own rule
    replaces an inherited rule with the same id."""

    packs: Mapping[str, PackFile]
    rules: Mapping[str, tuple[Rule, ...]]
    digest: str
    _resolved: dict[str, tuple[Rule, ...]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def version(self) -> str:
        """Readable id of this library: newest publication date plus a content digest."""
        newest = max((p.published_on for p in self.packs.values()), default=date.min)
        return f"{newest.isoformat()}+{self.digest[:10]}"

    @property
    def versions(self) -> dict[str, str]:
        return {folder: pack.version for folder, pack in sorted(self.packs.items())}

    def markets(self) -> tuple[str, ...]:
        """Market codes with a pack (upper case), excluding shared folders that only others extend."""
        return tuple(sorted(f.upper() for f in self.packs if f not in _SHARED))

    def chain(self, market: str) -> list[str]:
        folder = market.lower()
        if folder not in self.packs:
            raise NotFound(f"no compliance rules for market {market.upper()!r}",
                           details=[ErrorDetail("unknown market", field="market", code="compliance.unknown_market")])
        chain: list[str] = []
        current: str | None = folder
        while current is not None:
            chain.append(current)
            current = self.packs[current].extends
        return chain

    def rules_for(self, market: str) -> tuple[Rule, ...]:
        folder = market.lower()
        if folder not in self._resolved:
            merged: dict[str, Rule] = {}
            for name in reversed(self.chain(folder)):
                for rule in self.rules[name]:
                    merged[rule.id] = rule
            self._resolved[folder] = tuple(merged.values())
        return self._resolved[folder]

    def rules_by_market(self, markets: list[str] | None = None) -> dict[str, tuple[Rule, ...]]:
        return {m.upper(): self.rules_for(m) for m in (markets or self.markets())}

    def rule(self, rule_id: str) -> Rule:
        for rules in self.rules.values():
            for rule in rules:
                if rule.id == rule_id:
                    return rule
        raise NotFound(f"no rule {rule_id!r}", details=[ErrorDetail("unknown rule", field="rule_id")])


def _yaml(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ValidationFailed(f"{source}:{where} is not valid YAML",
                               details=[ErrorDetail(str(exc), field=source, code="compliance.invalid_yaml")]) from None


def parse_library(documents: Mapping[str, Any]) -> RuleLibrary:
    """Validate parsed pack documents keyed by folder; every problem of every pack is reported together.

    Raises:
        ValidationFailed: details name `<folder>/rules.yaml: <rule id>.<field>`.
    """
    errors: list[ErrorDetail] = []
    packs: dict[str, PackFile] = {}
    rules: dict[str, tuple[Rule, ...]] = {}
    for folder, data in sorted(documents.items()):
        source = f"{folder}/{_RULES}"
        try:
            pack, parsed = parse_pack_file(data, source=source)
        except ValidationFailed as exc:
            errors.extend(ErrorDetail(d.message, field=f"{source}: {d.field}" if d.field else source, code=d.code)
                          for d in exc.details)
            continue
        expected = folder.upper()
        if pack.jurisdiction != expected:
            errors.append(ErrorDetail(f"jurisdiction {pack.jurisdiction!r} does not match folder {folder!r}",
                                      field=f"{source}: jurisdiction", code="compliance.invalid_pack"))
        seen: set[str] = set()
        for rule in parsed:
            if rule.id in seen:
                errors.append(ErrorDetail(f"rule id {rule.id} appears twice", field=f"{source}: {rule.id}.id",
                                          code="compliance.duplicate_rule"))
            seen.add(rule.id)
        packs[folder] = pack
        rules[folder] = tuple(parsed)
    for folder, pack in packs.items():
        chain = [folder]
        parent = pack.extends
        while parent is not None:
            if parent not in packs:
                errors.append(ErrorDetail(f"extends {parent!r}, which has no rules.yaml",
                                          field=f"{folder}/{_RULES}: extends", code="compliance.invalid_pack"))
                break
            if parent in chain:
                errors.append(ErrorDetail(f"extends cycle {' -> '.join([*chain, parent])}",
                                          field=f"{folder}/{_RULES}: extends", code="compliance.invalid_pack"))
                break
            chain.append(parent)
            parent = packs[parent].extends
    if errors:
        raise ValidationFailed(f"rule pack rejected: {len(errors)} problem(s)", details=errors)
    digest = hashlib.sha256(json.dumps({f: p.model_dump(mode="json") for f, p in sorted(packs.items())},
                                       sort_keys=True).encode()).hexdigest()
    return RuleLibrary(packs=packs, rules=rules, digest=digest)


def packs_root() -> Path:
    """Folder of the shipped packs (`markets/jurisdictions`), each market's rules.yaml beside its facts.yaml."""
    return Path(str(resources.files("xborder.markets").joinpath("jurisdictions")))


def _read_tree(root: Path) -> dict[str, Any]:
    docs: dict[str, Any] = {}
    for path in sorted(root.glob(f"*/{_RULES}")):
        folder = path.parent.name
        docs[folder] = _yaml(path.read_text(encoding="utf-8"), f"{folder}/{_RULES}")
    return docs


@cache
def load_library() -> RuleLibrary:
    """The packs shipped beside the market facts (cached; `load_library.cache_clear()` after edits)."""
    return parse_library(_read_tree(packs_root()))


def _bundle(data: Any, source: str) -> dict[str, Any]:
    """A bundle is one YAML/JSON document `{packs: [<pack>, ...]}`; each pack's jurisdiction names its folder."""
    if not isinstance(data, dict) or not isinstance(data.get("packs"), list):
        raise ValidationFailed(f"{source}: expected a rules.yaml pack or a bundle with a 'packs' list",
                               details=[ErrorDetail("not a pack or bundle", field=source,
                                                    code="compliance.invalid_pack")])
    docs: dict[str, Any] = {}
    for index, pack in enumerate(data["packs"]):
        code = pack.get("jurisdiction") if isinstance(pack, dict) else None
        if not isinstance(code, str):
            raise ValidationFailed(f"{source}: packs[{index}] has no jurisdiction",
                                   details=[ErrorDetail("missing jurisdiction", field=f"packs[{index}].jurisdiction",
                                                        code="compliance.invalid_pack")])
        docs[code.lower()] = pack
    return docs


def _documents(text: str, source: str, *, default_folder: str = "?") -> dict[str, Any]:
    """One file's packs keyed by folder: a bundle, or a single rules.yaml (its jurisdiction names the folder)."""
    data = _yaml(text, source)
    if isinstance(data, dict) and "packs" in data:
        return _bundle(data, source)
    folder = str(data.get("jurisdiction", default_folder)).lower() if isinstance(data, dict) else default_folder
    return {folder: data}


def _merged(docs: dict[str, Any], base: RuleLibrary | None) -> dict[str, Any]:
    if base is None:
        return docs
    kept = {f: p.model_dump(mode="json", exclude_none=True) for f, p in base.packs.items() if f not in docs}
    return {**kept, **docs}


def library_from_content(content: bytes, *, source: str, base: RuleLibrary | None = None) -> RuleLibrary:
    """A new library version from an uploaded file (one rules.yaml or a bundle, YAML or JSON, UTF-8).

    Packs not in the file are taken from `base`, as with `load_library_from`.

    Raises:
        ValidationFailed: not UTF-8, not YAML, not a pack or bundle, or any rule problem (the whole file).
    """
    if len(content) > _MAX_FEED_BYTES:
        raise ValidationFailed(f"{source}: larger than {_MAX_FEED_BYTES} bytes",
                               details=[ErrorDetail("file too large", field="file", code="compliance.invalid_pack")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(f"{source}: not UTF-8 text", details=[
            ErrorDetail("a rule pack is UTF-8 YAML or JSON", field="file", code="compliance.invalid_pack")]) from None
    return parse_library(_merged(_documents(text, source), base))


def load_library_from(location: str | Path, *, base: RuleLibrary | None = None) -> RuleLibrary:
    """Load a new library version from a jurisdictions directory, a pack folder, a rules.yaml file, a bundle file,
    or an http(s) URL serving a bundle. Packs not present in the new source are taken from `base` (a single file
    updates one market and keeps the others).

    Raises:
        ValidationFailed: the new version as a whole is rejected; nothing is partially applied.
    """
    text = str(location)
    docs: dict[str, Any]
    if text.startswith(("http://", "https://")):
        request = urllib.request.Request(text, headers={"Accept": "application/yaml, application/json"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - operator-configured feed URL
            body = response.read(_MAX_FEED_BYTES + 1)
        if len(body) > _MAX_FEED_BYTES:
            raise ValidationFailed(f"{text}: feed larger than {_MAX_FEED_BYTES} bytes",
                                   details=[ErrorDetail("feed too large", field="url", code="compliance.invalid_pack")])
        docs = _bundle(_yaml(body.decode("utf-8"), text), text)
    else:
        path = Path(location)
        if path.is_dir() and (path / _RULES).is_file():
            docs = {path.name: _yaml((path / _RULES).read_text(encoding="utf-8"), str(path / _RULES))}
        elif path.is_dir():
            docs = _read_tree(path)
        elif path.is_file():
            docs = _documents(path.read_text(encoding="utf-8"), str(path), default_folder=path.parent.name)
        else:
            raise NotFound(f"{path}: no such file or directory",
                           details=[ErrorDetail("not found", field="path", code="compliance.pack_not_found")])
        if not docs:
            raise ValidationFailed(f"{path}: no rules.yaml found",
                                   details=[ErrorDetail("empty", field="path", code="compliance.invalid_pack")])
    return parse_library(_merged(docs, base))
