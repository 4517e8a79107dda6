"""`xborder.reference.__all__` is sorted and lists exactly the public names the package defines."""

from __future__ import annotations

import inspect

import xborder.reference as reference


def test_all_is_sorted_and_unique() -> None:
    assert reference.__all__ == sorted(set(reference.__all__))


def test_all_is_complete() -> None:
    public = {name for name, value in vars(reference).items()
              if not name.startswith("_") and not inspect.ismodule(value)}
    assert public == set(reference.__all__)
    for name in reference.__all__:
        assert getattr(reference, name).__module__.startswith("xborder.reference.")


def test_reference_imports_no_delivery_or_domain_packages() -> None:
    import sys

    forbidden = ("fastapi", "typer", "jinja2", "httpx", "jieba")
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("xborder.reference") and module is not None:
            source = inspect.getsource(module)
            for name in forbidden:
                assert f"import {name}" not in source and f"from {name}" not in source, module_name
            for line in source.splitlines():
                if line.startswith(("from xborder", "import xborder")):
                    assert line.split()[1].startswith(("xborder.kernel", "xborder.reference")), line
