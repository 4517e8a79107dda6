"""Reads `jurisdictions/<cc>/facts.yaml`, validates it (schema.py) and applies `extends`, caching the result.

Use `service.py` for typed lookups; this module only knows files and merged fact definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import yaml

from xborder.kernel import ErrorDetail, NotFound, ValidationFailed
from xborder.markets.schema import FactDefinition, FactsFile, LocalizedText, parse_facts_file

__all__ = ["LoadedJurisdiction", "clear_cache", "jurisdiction_codes", "load_jurisdiction", "read_facts_file"]

_FACTS = "facts.yaml"


@dataclass(frozen=True)
class LoadedJurisdiction:
    """A jurisdiction with `extends` applied: `facts` holds own definitions over inherited ones.

    `origin[key]` names the folder a fact came from (e.g. "eu" for an inherited EU fact).
    """

    code: str
    name: LocalizedText
    extends: str | None
    facts: MappingProxyType[str, FactDefinition]
    origin: MappingProxyType[str, str]


def _root() -> Traversable:
    return resources.files("xborder.markets").joinpath("jurisdictions")


def _source(folder: str) -> str:
    return f"jurisdictions/{folder}/{_FACTS}"


@cache
def jurisdiction_codes() -> tuple[str, ...]:
    """Folder names (lower case) that hold a facts.yaml, sorted; includes shared folders such as `eu`."""
    return tuple(sorted(entry.name for entry in _root().iterdir()
                        if entry.is_dir() and entry.joinpath(_FACTS).is_file()))


@cache
def read_facts_file(folder: str) -> FactsFile:
    """Parse and validate one folder's facts.yaml as written, without applying `extends`.

    Raises:
        NotFound: no such folder.
        ValidationFailed: YAML or schema problems, naming the file, key and version index.
    """
    folder = folder.lower()
    if folder not in jurisdiction_codes():
        raise NotFound(f"no market data for {folder.upper()!r}",
                       details=[ErrorDetail(message="unknown market", field="market", code="markets.unknown")])
    source = _source(folder)
    text = _root().joinpath(folder, _FACTS).read_text(encoding="utf-8")
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ValidationFailed(f"{source}:{where} is not valid YAML: {exc}",
                               details=[ErrorDetail(message=str(exc), field=source, code="markets.invalid_yaml")]
                               ) from None
    parsed = parse_facts_file(data, source=source)
    expected = "EU" if folder == "eu" else folder.upper()
    if parsed.jurisdiction != expected:
        raise ValidationFailed(f"{source}: jurisdiction {parsed.jurisdiction!r} does not match folder {folder!r}",
                               details=[ErrorDetail(message="jurisdiction must match the folder name",
                                                    field="jurisdiction", code="markets.invalid_facts")])
    return parsed


@cache
def load_jurisdiction(folder: str) -> LoadedJurisdiction:
    """Load a folder and merge the chain of `extends` (own keys replace inherited keys as a whole)."""
    folder = folder.lower()
    chain: list[str] = []
    current: str | None = folder
    while current is not None:
        if current in chain:
            raise ValidationFailed(f"{_source(folder)}: extends cycle {' -> '.join([*chain, current])}",
                                   details=[ErrorDetail(message="extends cycle", field="extends",
                                                        code="markets.invalid_facts")])
        chain.append(current)
        try:
            current = read_facts_file(current).extends
        except NotFound:
            if current == folder:
                raise
            raise ValidationFailed(f"{_source(chain[-2])}: extends unknown folder {current!r}",
                                   details=[ErrorDetail(message="unknown parent", field="extends",
                                                        code="markets.invalid_facts")]) from None
    facts: dict[str, FactDefinition] = {}
    origin: dict[str, str] = {}
    for name in reversed(chain):
        for key, definition in read_facts_file(name).facts.items():
            facts[key] = definition
            origin[key] = name
    own = read_facts_file(folder)
    return LoadedJurisdiction(code=own.jurisdiction, name=own.name, extends=own.extends,
                              facts=MappingProxyType(dict(sorted(facts.items()))),
                              origin=MappingProxyType(origin))


def clear_cache() -> None:
    """Forget loaded files (for tests and for an operator reloading edited data)."""
    jurisdiction_codes.cache_clear()
    read_facts_file.cache_clear()
    load_jurisdiction.cache_clear()
