"""Machine-translation providers behind one small Protocol (base.py), loaded by name (registry.py)."""

from xborder.localization.providers.base import (
    MtProvider,
    MtSettings,
    ProviderError,
    ProviderLoadError,
    TranslationRequest,
    TranslationResponse,
    UnsupportedLanguagePair,
)
from xborder.localization.providers.registry import BUILTIN_PROVIDERS, load_provider

__all__ = [
    "BUILTIN_PROVIDERS",
    "MtProvider",
    "MtSettings",
    "ProviderError",
    "ProviderLoadError",
    "TranslationRequest",
    "TranslationResponse",
    "UnsupportedLanguagePair",
    "load_provider",
]
