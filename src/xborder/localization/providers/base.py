"""The MT provider interface: one batch `translate` call over request/response dataclasses, plus its errors and
the settings section that selects a provider by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from xborder.kernel import DomainError, ErrorDetail
from xborder.settings import MtSettings

__all__ = ["MtProvider", "MtSettings", "ProviderError", "ProviderLoadError", "TranslationRequest",
           "TranslationResponse", "UnsupportedLanguagePair"]


@dataclass(frozen=True, slots=True)
class TranslationRequest:
    texts: tuple[str, ...]
    source_language: str
    target_language: str


@dataclass(frozen=True, slots=True)
class TranslationResponse:
    texts: tuple[str, ...]
    provider: str


@runtime_checkable
class MtProvider(Protocol):
    name: str

    def translate(self, request: TranslationRequest) -> TranslationResponse:
        """One translation per input text, in order. Raises ProviderError / UnsupportedLanguagePair."""
        ...


class ProviderError(DomainError):
    """The provider failed (timeout, HTTP error, garbage answer). Nothing is written when this is raised."""

    code = "localization.provider_failed"
    status_hint = 502

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}", details=[ErrorDetail(message, field="provider",
                                                                        code=self.code)])
        self.provider = provider


class UnsupportedLanguagePair(ProviderError):
    code = "localization.unsupported_language_pair"
    status_hint = 422


class ProviderLoadError(DomainError):
    code = "localization.provider_load_failed"
    status_hint = 500


def check_response(provider: str, request: TranslationRequest, texts: list[object]) -> TranslationResponse:
    """Reject answers of the wrong length or type, or empty translations of non-empty input."""
    if len(texts) != len(request.texts) or not all(isinstance(t, str) for t in texts):
        raise ProviderError(provider, f"expected {len(request.texts)} translations, got {texts!r:.200}")
    for source, target in zip(request.texts, texts, strict=True):
        if source.strip() and not str(target).strip():
            raise ProviderError(provider, f"empty translation for {source[:60]!r}")
    return TranslationResponse(tuple(str(t) for t in texts), provider)
