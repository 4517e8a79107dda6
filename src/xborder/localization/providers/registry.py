"""Load the MT provider named in settings: entry points of group `xborder.mt_providers` first, then the built-in
names. A failed load raises ProviderLoadError naming the provider; there is no silent fallback."""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from pathlib import Path

from xborder.kernel import ErrorDetail
from xborder.localization.providers.base import MtProvider, MtSettings, ProviderLoadError

__all__ = ["BUILTIN_PROVIDERS", "ENTRY_POINT_GROUP", "load_provider"]

ENTRY_POINT_GROUP = "xborder.mt_providers"
BUILTIN_PROVIDERS = {
    "ctranslate2": "xborder.localization.providers.ctranslate2_provider:CTranslate2Provider",
    "deepl": "xborder.localization.providers.http_providers:DeepLProvider",
    "libretranslate": "xborder.localization.providers.http_providers:LibreTranslateProvider",
    "openai": "xborder.localization.providers.http_providers:OpenAIChatProvider",
}


def _import(target: str) -> type:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]


def load_provider(settings: MtSettings, *, models_dir: Path | None = None) -> MtProvider | None:
    """The configured provider, or None when `settings.provider` is unset (the studio then works without MT).

    `models_dir` (normally `<data_dir>/mt-models`) is where the built-in ctranslate2 provider finds installed models
    when `settings.model_dir` is unset."""
    name = (settings.provider or "").strip()
    if not name:
        return None
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    try:
        factory = found[0].load() if found else _import(BUILTIN_PROVIDERS[name])
    except KeyError:
        known = sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)} | set(BUILTIN_PROVIDERS))
        raise ProviderLoadError(f"MT provider {name!r} is not installed; known: {', '.join(known)}", details=[
            ErrorDetail("unknown provider", field="mt.provider", code="localization.provider_load_failed")]) from None
    except (ImportError, AttributeError) as exc:
        raise ProviderLoadError(f"MT provider {name!r} could not be loaded: {exc}", details=[
            ErrorDetail(str(exc), field="mt.provider", code="localization.provider_load_failed")]) from None
    try:
        if models_dir is not None and name == "ctranslate2":
            provider = factory(settings, models_dir=models_dir)
        else:
            provider = factory(settings)
    except Exception as exc:  # any constructor failure must name the provider
        raise ProviderLoadError(f"MT provider {name!r} failed to start: {exc}", details=[
            ErrorDetail(str(exc), field="mt.provider", code="localization.provider_load_failed")]) from None
    if not isinstance(provider, MtProvider):
        raise ProviderLoadError(f"MT provider {name!r} does not implement translate()")
    return provider
