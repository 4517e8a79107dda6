"""Offline neural MT with CTranslate2 (models converted from OPUS-MT/Marian, OpenNMT or Argos packages).

`settings.model_dir` points at a converted model directory. Tokenization: SentencePiece when the directory holds
`source.spm`/`target.spm` and the sentencepiece package is installed, else whitespace tokens (enough for the tiny
test model and for models trained on pre-tokenized text).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xborder.localization.providers.base import (
    MtSettings,
    ProviderError,
    TranslationRequest,
    TranslationResponse,
    UnsupportedLanguagePair,
    check_response,
)

__all__ = ["CTranslate2Provider"]


class CTranslate2Provider:
    name = "ctranslate2"

    def __init__(self, settings: MtSettings) -> None:
        try:
            import ctranslate2
        except ImportError:
            raise ProviderError(self.name, "the ctranslate2 package is not installed") from None
        if not settings.model_dir or not Path(settings.model_dir, "model.bin").is_file():
            raise ProviderError(self.name, f"no converted model (model.bin) in {settings.model_dir!r}")
        self.settings = settings
        self.model_dir = Path(settings.model_dir)
        self.translator = ctranslate2.Translator(str(self.model_dir), device="cpu", inter_threads=1,
                                                 intra_threads=2)
        self.languages = self._languages()
        self.sp_source, self.sp_target = self._sentencepiece()

    def _languages(self) -> tuple[str, str] | None:
        """The pair the model translates, from `languages.txt` ('zh ja'); None when the model does not say."""
        path = self.model_dir / "languages.txt"
        if not path.is_file():
            return None
        parts = path.read_text("utf-8").split()
        return (parts[0], parts[1]) if len(parts) == 2 else None

    def _sentencepiece(self) -> tuple[Any, Any]:
        source, target = self.model_dir / "source.spm", self.model_dir / "target.spm"
        if not (source.is_file() and target.is_file()):
            return None, None
        try:
            import sentencepiece
        except ImportError:
            raise ProviderError(self.name, "the model needs the sentencepiece package") from None
        return (sentencepiece.SentencePieceProcessor(model_file=str(source)),
                sentencepiece.SentencePieceProcessor(model_file=str(target)))

    def translate(self, request: TranslationRequest) -> TranslationResponse:
        pair = (request.source_language.split("-")[0], request.target_language.split("-")[0])
        if self.languages is not None and pair != self.languages:
            raise UnsupportedLanguagePair(self.name, f"the model translates {self.languages[0]} -> "
                                                     f"{self.languages[1]}, not {pair[0]} -> {pair[1]}")
        if self.sp_source is not None:
            batch = [self.sp_source.encode(t, out_type=str) for t in request.texts]
        else:
            batch = [t.split() for t in request.texts]
        try:
            results = self.translator.translate_batch(batch, beam_size=1, max_decoding_length=256)
        except (RuntimeError, ValueError) as exc:
            raise ProviderError(self.name, f"translation failed: {exc}") from None
        texts = []
        for result in results:
            tokens = result.hypotheses[0]
            texts.append(self.sp_target.decode(tokens) if self.sp_target is not None else " ".join(tokens))
        return check_response(self.name, request, texts)
