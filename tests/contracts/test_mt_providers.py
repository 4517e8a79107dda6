"""One contract suite over every MT provider: the fake, LibreTranslate, DeepL and an OpenAI-compatible endpoint
(each against a local server speaking its wire protocol), and CTranslate2 with a tiny model built here."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from xborder.localization.providers import (
    MtSettings,
    ProviderError,
    ProviderLoadError,
    TranslationRequest,
    UnsupportedLanguagePair,
    load_provider,
)
from xborder.localization.providers.fake import FakeProvider

TABLE = {"节能电水壶": "省エネ電気ケトル", "无线耳机": "ワイヤレスイヤホン", "⟦0⟧ 耳机": "⟦0⟧ イヤホン"}
MODE: dict[str, str] = {"value": "ok"}  # ok | garbage | slow


def _translate(texts: list[str], source: str, target: str) -> list[str] | None:
    if (source.lower()[:2], target.lower()[:2]) != ("zh", "ja"):
        return None
    return [TABLE.get(t, f"訳:{t}") for t in texts]


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        return

    def _reply(self, status: int, body: Any) -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up (timeout test)

    def do_POST(self) -> None:
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if MODE["value"] == "slow":
            time.sleep(1.5)
        if MODE["value"] == "garbage":
            self._reply(200, "<html>oops</html>")
            return
        if self.path == "/translate":  # LibreTranslate
            out = _translate(payload["q"], payload["source"], payload["target"])
            self._reply(200, {"translatedText": out}) if out else self._reply(400, {"error": "language not supported"})
        elif self.path == "/v2/translate":  # DeepL
            assert self.headers["Authorization"].startswith("DeepL-Auth-Key ")
            out = _translate(payload["text"], payload["source_lang"], payload["target_lang"])
            if out is None:
                self._reply(400, {"message": "Value for 'target_lang' not supported: language"})
            else:
                self._reply(200, {"translations": [{"detected_source_language": "ZH", "text": t} for t in out]})
        elif self.path == "/chat/completions":  # OpenAI-compatible
            system, user = payload["messages"][0]["content"], json.loads(payload["messages"][1]["content"])
            pair = system.split("from ")[1].split(" for")[0].split(" to ")
            out = _translate(user, pair[0], pair[1])
            content = json.dumps(out, ensure_ascii=False) if out else "I cannot translate this language."
            self._reply(200, {"choices": [{"message": {"role": "assistant", "content": content}}]})
        else:
            self._reply(404, {"error": "not found"})


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(autouse=True)
def _reset_mode() -> Iterator[None]:
    MODE["value"] = "ok"
    yield
    MODE["value"] = "ok"


def _build_tiny_ctranslate2_model(path: Path) -> None:
    """A 1-layer transformer with random weights and a 12-token vocabulary, saved in CTranslate2 format."""
    ct2 = pytest.importorskip("ctranslate2")
    import numpy as np

    specs = ct2.specs
    d_model, ffn = 16, 32
    vocab = ["<blank>", "<s>", "</s>", "<unk>", "节能", "电水壶", "无线", "耳机",
             "省エネ", "ケトル", "イヤホン", "ワイヤレス"]
    spec = specs.TransformerSpec.from_config(num_layers=1, num_heads=2)
    rng = np.random.default_rng(7)

    def shape(path_name: str) -> tuple[int, ...]:
        if path_name.endswith("embeddings_0/weight") or path_name.endswith("embeddings/weight"):
            return (len(vocab), d_model)
        if path_name.endswith("projection/weight"):
            return (len(vocab), d_model)
        if path_name.endswith("gamma") or path_name.endswith("beta"):
            return (d_model,)
        if "self_attention/linear_0" in path_name:
            return (3 * d_model, d_model)
        if "/attention/linear_1" in path_name:
            return (2 * d_model, d_model)
        if "ffn/linear_0" in path_name:
            return (ffn, d_model)
        if "ffn/linear_1" in path_name:
            return (d_model, ffn)
        return (d_model, d_model)

    def fill(layer: Any, prefix: str) -> None:
        for name, value in list(vars(layer).items()):
            if name.startswith("_"):
                continue
            if isinstance(value, specs.LayerSpec):
                fill(value, f"{prefix}{name}/")
            elif isinstance(value, list) and value and isinstance(value[0], specs.LayerSpec):
                for index, item in enumerate(value):
                    fill(item, f"{prefix}{name}_{index}/")
            elif value is None:
                full = f"{prefix}{name}"
                array = np.ones(shape(full), np.float32) if name == "gamma" else (
                    np.zeros(shape(full), np.float32) if name == "beta"
                    else rng.normal(0, 0.5, shape(full)).astype(np.float32))
                setattr(layer, name, array)

    fill(spec, "")
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.save(str(path))
    (path / "languages.txt").write_text("zh ja", encoding="utf-8")


PROVIDERS = ["fake", "libretranslate", "deepl", "openai", "ctranslate2"]


@pytest.fixture
def make(server: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    def build(name: str, timeout: float = 5.0) -> Any:
        if name == "fake":
            return FakeProvider({("zh", "ja", k): v for k, v in TABLE.items()})
        if name == "ctranslate2":
            model = tmp_path_factory.mktemp("ct2")
            _build_tiny_ctranslate2_model(model)
            return load_provider(MtSettings(provider="ctranslate2", model_dir=str(model)))
        return load_provider(MtSettings(provider=name, url=server, api_key="test-key", model="tiny",
                                        timeout_seconds=timeout))

    return build


@pytest.mark.parametrize("name", PROVIDERS)
def test_translates_a_batch_in_order(make: Any, name: str) -> None:
    provider = make(name)
    texts = ("节能 电水壶", "无线 耳机") if name == "ctranslate2" else ("节能电水壶", "无线耳机")
    response = provider.translate(TranslationRequest(texts, "zh", "ja"))
    assert len(response.texts) == 2 and all(t.strip() for t in response.texts)
    assert provider.translate(TranslationRequest(texts, "zh", "ja")).texts == response.texts  # deterministic
    if name != "ctranslate2":
        assert response.texts == ("省エネ電気ケトル", "ワイヤレスイヤホン")


@pytest.mark.parametrize("name", PROVIDERS)
def test_unsupported_pair_is_a_clear_error(make: Any, name: str) -> None:
    provider = make(name)
    with pytest.raises(ProviderError) as error:
        provider.translate(TranslationRequest(("无线耳机",), "zh", "ar"))
    assert name in error.value.message
    if name != "openai":  # a chat model answers in prose: that is a garbage answer, not a typed refusal
        assert isinstance(error.value, UnsupportedLanguagePair)


@pytest.mark.parametrize("name", ["libretranslate", "deepl", "openai"])
def test_garbage_and_timeouts_become_provider_errors(make: Any, name: str) -> None:
    provider = make(name, timeout=0.5)
    MODE["value"] = "garbage"
    with pytest.raises(ProviderError, match=name):
        provider.translate(TranslationRequest(("无线耳机",), "zh", "ja"))
    MODE["value"] = "slow"
    with pytest.raises(ProviderError, match="timed out"):
        provider.translate(TranslationRequest(("无线耳机",), "zh", "ja"))


def test_unknown_or_broken_provider_names_itself(tmp_path: Path) -> None:
    with pytest.raises(ProviderLoadError, match="'systran-9'"):
        load_provider(MtSettings(provider="systran-9"))
    with pytest.raises(ProviderLoadError, match="'ctranslate2'"):
        load_provider(MtSettings(provider="ctranslate2", model_dir=str(tmp_path)))
    assert load_provider(MtSettings()) is None
