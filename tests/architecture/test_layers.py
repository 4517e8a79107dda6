"""Architecture as tests: import-linter contracts and complete, sorted `__all__` in every public package."""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import xborder

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_PACKAGES = sorted(
    name for _, name, is_pkg in pkgutil.iter_modules(xborder.__path__, "xborder.")
    if is_pkg and name not in {"xborder.cli", "xborder.web"}
)


def _isort_key(name: str) -> tuple[int, str]:
    """CONSTANTS, then Classes, then functions — the order ruff's RUF022 keeps."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_public_api_is_declared_sorted_and_importable(package: str) -> None:
    module = importlib.import_module(package)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{package} must declare __all__"
    assert list(exported) == sorted(exported, key=_isort_key), f"{package}.__all__ is not sorted (isort style)"
    assert len(set(exported)) == len(exported), f"{package}.__all__ has duplicates"
    for name in exported:
        assert hasattr(module, name), f"{package}.__all__ names {name!r} which does not exist"
