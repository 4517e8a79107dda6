"""HTTP MT providers: LibreTranslate, DeepL API v2 and OpenAI-compatible chat completions (Ollama, vLLM, hosted
models). Each speaks its documented wire format; timeouts, HTTP errors and malformed answers become ProviderError."""

from __future__ import annotations

import json
from typing import Any

import httpx

from xborder.localization.providers.base import (
    MtSettings,
    ProviderError,
    TranslationRequest,
    TranslationResponse,
    UnsupportedLanguagePair,
    check_response,
)

__all__ = ["DeepLProvider", "LibreTranslateProvider", "OpenAIChatProvider"]


class _HttpProvider:
    name = "http"

    def __init__(self, settings: MtSettings, *, transport: httpx.BaseTransport | None = None) -> None:
        if not settings.url:
            raise ProviderError(self.name, "settings.mt.url is required")
        self.settings = settings
        self.client = httpx.Client(base_url=settings.url.rstrip("/"), timeout=settings.timeout_seconds,
                                   transport=transport)

    def _post(self, path: str, payload: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        try:
            response = self.client.post(path, json=payload, headers=headers or {})
        except httpx.TimeoutException:
            raise ProviderError(self.name, f"timed out after {self.settings.timeout_seconds} s") from None
        except httpx.HTTPError as exc:
            raise ProviderError(self.name, f"request failed: {exc}") from None
        if response.status_code in (400, 422) and "language" in response.text.lower():
            raise UnsupportedLanguagePair(self.name, response.text[:200])
        if response.status_code >= 400:
            raise ProviderError(self.name, f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            return response.json()
        except ValueError:
            raise ProviderError(self.name, f"answer is not JSON: {response.text[:120]!r}") from None


class LibreTranslateProvider(_HttpProvider):
    """POST /translate {q: [...], source, target, format: text[, api_key]} -> {translatedText: [...]}."""

    name = "libretranslate"

    def translate(self, request: TranslationRequest) -> TranslationResponse:
        payload: dict[str, Any] = {"q": list(request.texts), "source": request.source_language.split("-")[0],
                                   "target": request.target_language.split("-")[0], "format": "text"}
        if self.settings.api_key:
            payload["api_key"] = self.settings.api_key
        data = self._post("/translate", payload)
        texts = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(texts, str):
            texts = [texts]
        return check_response(self.name, request, texts if isinstance(texts, list) else [])


class DeepLProvider(_HttpProvider):
    """POST /v2/translate {text: [...], source_lang, target_lang} with `Authorization: DeepL-Auth-Key`."""

    name = "deepl"

    def translate(self, request: TranslationRequest) -> TranslationResponse:
        target = request.target_language.upper()
        if target not in ("EN-GB", "EN-US", "PT-BR", "PT-PT", "ZH-HANS", "ZH-HANT"):
            target = target.split("-")[0]
        payload = {"text": list(request.texts), "source_lang": request.source_language.split("-")[0].upper(),
                   "target_lang": target}
        data = self._post("/v2/translate", payload, {"Authorization": f"DeepL-Auth-Key {self.settings.api_key}"})
        items = data.get("translations") if isinstance(data, dict) else None
        texts = [item.get("text") for item in items] if isinstance(items, list) and all(
            isinstance(i, dict) for i in items) else []
        return check_response(self.name, request, texts)


class OpenAIChatProvider(_HttpProvider):
    """POST /chat/completions asking for a JSON array with one translation per input, temperature 0."""

    name = "openai"

    def translate(self, request: TranslationRequest) -> TranslationResponse:
        instruction = (f"Translate each string of the JSON array from {request.source_language} to "
                       f"{request.target_language} for a product listing. Keep numbers, units, model numbers, "
                       "placeholders like ⟦0⟧ and HTML tags unchanged. Answer with only a JSON array of strings, "
                       "same length and order.")
        payload = {"model": self.settings.model or "default", "temperature": 0,
                   "messages": [{"role": "system", "content": instruction},
                                {"role": "user", "content": json.dumps(list(request.texts), ensure_ascii=False)}]}
        headers = {"Authorization": f"Bearer {self.settings.api_key}"} if self.settings.api_key else {}
        data = self._post("/chat/completions", payload, headers)
        try:
            content = data["choices"][0]["message"]["content"].strip()
            if content.startswith("```"):
                content = content.strip("`").removeprefix("json").strip()
            texts = json.loads(content)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError):
            raise ProviderError(self.name, f"answer is not a JSON array of translations: {str(data)[:160]}") from None
        return check_response(self.name, request, texts if isinstance(texts, list) else [])
