"""Packaging guards: the lock file covers every declared dependency, and no committed file names a registry host."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Spelled in pieces so this file does not itself contain the host names it forbids.
REGISTRY_HOSTS = tuple(".".join(parts) for parts in (("pypi", "org"), ("files", "pythonhosted", "org"),
                                                      ("registry", "npmjs", "org"), ("registry", "yarnpkg", "com")))


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_lock_pins_every_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {m.group(1).lower().replace("_", "-") for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==", lock, re.M)}
    missing = sorted(declared - pinned)
    assert not missing, f"requirements.lock lacks {missing}: regenerate it (command at its top)"


def test_no_committed_file_names_a_registry_host() -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    offenders = []
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.suffix in {".gz", ".png", ".pdf", ".xlsx"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        offenders += [f"{name}: {host}" for host in REGISTRY_HOSTS if host in text]
    assert not offenders, offenders
