"""Collects every `markets/jurisdictions/*/cases.yaml` as test items (OpenFisca-style YAML tests beside the rules).

Each case becomes one item named after its `name`; a failure lists every mismatching requirement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xborder.compliance import load_library
from xborder.compliance.cases import RuleCase, read_cases, run_case

JURISDICTIONS = Path(__file__).resolve().parents[2] / "src" / "xborder" / "markets" / "jurisdictions"


class CaseFailed(Exception):
    pass


class RuleCaseItem(pytest.Item):
    def __init__(self, *, case: RuleCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        problems = run_case(self.case, load_library())
        if problems:
            raise CaseFailed("\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return f"{self.case.source}: case {self.case.name!r} failed:\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"rule case: {self.case.name}"


class CasesFile(pytest.File):
    def collect(self) -> Any:
        for case in read_cases(self.path):
            yield RuleCaseItem.from_parent(self, name=case.name, case=case)


class JurisdictionCases(pytest.File):
    """Anchor `jurisdictions.cases` (tests live beside the data in src/, outside pytest's testpaths)."""

    def collect(self) -> Any:
        for path in sorted(JURISDICTIONS.glob("*/cases.yaml")):
            yield CasesFile.from_parent(self, path=path)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name == "cases.yaml" and file_path.parent.parent == JURISDICTIONS:
        return CasesFile.from_parent(parent, path=file_path)
    if file_path.name == "jurisdictions.cases" and file_path.parent == Path(__file__).parent:
        return JurisdictionCases.from_parent(parent, path=file_path)
    return None
