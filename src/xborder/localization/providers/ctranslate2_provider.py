"""Offline neural MT with CTranslate2 (models converted from OPUS-MT/Marian, OpenNMT or Argos packages).

`settings.model_dir` points at one converted model; when it is unset, `models_dir` holds installed models as
`<source>-<target>/` folders (`xborder mt install`), loaded per pair on first use. Tokenization: SentencePiece when a
model folder holds `source.spm`/`target.spm` (or Argos' shared `sentencepiece.model`) and the package is installed,
else whitespace tokens (enough for the tiny test model and for models trained on pre-tokenized text).
"""

from __future__ import annotations

import threading
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

NAME = "ctranslate2"


class _Model:
    """One loaded model folder: translator, declared pair and tokenizers."""

    def __init__(self, ctranslate2: Any, model_dir: Path) -> None:
        self.model_dir = model_dir
        self.translator = ctranslate2.Translator(str(model_dir), device="cpu", inter_threads=1, intra_threads=2)
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
            source = target = self.model_dir / "sentencepiece.model"
            if not source.is_file():
                return None, None
        try:
            import sentencepiece
        except ImportError:
            raise ProviderError(NAME, "the model needs the sentencepiece package") from None
        return (sentencepiece.SentencePieceProcessor(model_file=str(source)),
                sentencepiece.SentencePieceProcessor(model_file=str(target)))

    def translate(self, texts: tuple[str, ...]) -> list[str]:
        if self.sp_source is not None:
            batch = [self.sp_source.encode(t, out_type=str) for t in texts]
        else:
            batch = [t.split() for t in texts]
        try:
            results = self.translator.translate_batch(batch, beam_size=1, max_decoding_length=256)
        except (RuntimeError, ValueError) as exc:
            raise ProviderError(NAME, f"translation failed: {exc}") from None
        out = []
        for result in results:
            tokens = result.hypotheses[0]
            out.append(self.sp_target.decode(tokens) if self.sp_target is not None else " ".join(tokens))
        return out


class CTranslate2Provider:
    name = NAME

    def __init__(self, settings: MtSettings, *, models_dir: Path | None = None) -> None:
        try:
            import ctranslate2
        except ImportError:
            raise ProviderError(self.name, "the ctranslate2 package is not installed") from None
        self.settings = settings
        self._ct2 = ctranslate2
        self._lock = threading.Lock()
        self._models: dict[tuple[str, str], _Model] = {}
        self.single: _Model | None = None
        self.models_dir = Path(models_dir) if models_dir is not None else None
        if settings.model_dir:
            if not Path(settings.model_dir, "model.bin").is_file():
                raise ProviderError(self.name, f"no converted model (model.bin) in {settings.model_dir!r}")
            self.single = _Model(ctranslate2, Path(settings.model_dir))
        elif not self.installed_pairs():
            where = f" into {self.models_dir}" if self.models_dir is not None else ""
            raise ProviderError(self.name, f"no model: set mt.model_dir, or install one{where} with "
                                           "`xborder mt install FROM TO --file PATH`")

    @property
    def model_dir(self) -> Path | None:
        return self.single.model_dir if self.single is not None else self.models_dir

    @property
    def languages(self) -> tuple[str, str] | None:
        return self.single.languages if self.single is not None else None

    def installed_pairs(self) -> list[tuple[str, str]]:
        if self.models_dir is None or not self.models_dir.is_dir():
            return []
        pairs = []
        for path in sorted(self.models_dir.iterdir()):
            source, dash, target = path.name.partition("-")
            if dash and not path.name.startswith(".") and (path / "model.bin").is_file():
                pairs.append((source, target))
        return pairs

    def _model_for(self, pair: tuple[str, str]) -> _Model:
        if self.single is not None:
            if self.single.languages is not None and pair != self.single.languages:
                raise UnsupportedLanguagePair(self.name, f"the model translates {self.single.languages[0]} -> "
                                                         f"{self.single.languages[1]}, not {pair[0]} -> {pair[1]}")
            return self.single
        with self._lock:  # load each pair once, even under concurrent requests
            model = self._models.get(pair)
            if model is None:
                folder = self.models_dir / f"{pair[0]}-{pair[1]}" if self.models_dir is not None else None
                if folder is None or not (folder / "model.bin").is_file():
                    known = ", ".join(f"{s} -> {t}" for s, t in self.installed_pairs()) or "none"
                    raise UnsupportedLanguagePair(self.name, f"no installed model for {pair[0]} -> {pair[1]} "
                                                             f"(installed: {known})")
                model = self._models[pair] = _Model(self._ct2, folder)
            return model

    def translate(self, request: TranslationRequest) -> TranslationResponse:
        pair = (request.source_language.split("-")[0].lower(), request.target_language.split("-")[0].lower())
        texts: list[object] = list(self._model_for(pair).translate(request.texts))
        return check_response(self.name, request, texts)
