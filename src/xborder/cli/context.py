"""CLI composition: one Container per process, built from Settings (environment) on first use."""

from __future__ import annotations

from functools import cache

from xborder.bootstrap import Container, bootstrap
from xborder.settings import Settings

__all__ = ["get_container", "get_settings"]


@cache
def get_settings() -> Settings:
    return Settings()


@cache
def get_container() -> Container:
    return bootstrap(get_settings())
