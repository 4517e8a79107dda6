"""A deterministic provider for tests only: translates from a fixed table and refuses anything else. Never the
default of a running product (see docs/localization.md)."""

from __future__ import annotations

from xborder.localization.providers.base import (
    MtSettings,
    TranslationRequest,
    TranslationResponse,
    UnsupportedLanguagePair,
    check_response,
)

__all__ = ["FakeProvider"]


class FakeProvider:
    name = "fake"

    def __init__(self, table: dict[tuple[str, str, str], str] | None = None,
                 settings: MtSettings | None = None) -> None:
        self.table = dict(table or {})
        self.calls: list[TranslationRequest] = []

    def translate(self, request: TranslationRequest) -> TranslationResponse:
        self.calls.append(request)
        pair = (request.source_language, request.target_language)
        if not any((s, t) == pair for s, t, _ in self.table):
            raise UnsupportedLanguagePair(self.name, f"no table for {pair[0]} -> {pair[1]}")
        return check_response(self.name, request, [
            self.table.get((*pair, text), f"⟪{request.target_language}⟫{text}") for text in request.texts])
