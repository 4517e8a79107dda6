"""The translation pipeline around any provider: TM hits first, protected and required terms survive, no
provider or a failing provider marks segments for a translator and never invents text."""

from __future__ import annotations

from xborder.localization import Glossary, TermEntry
from xborder.localization.providers import ProviderError, TranslationRequest, TranslationResponse
from xborder.localization.providers.fake import FakeProvider
from xborder.localization.translate import translate_segments

GLOSSARY = Glossary((TermEntry("Shengyue", "do_not_translate"),
                     TermEntry("节能", "required", language="ja", translation="省エネ", source_language="zh")))


def tm(text: str, src: str, tgt: str) -> list[tuple[str, float]]:
    return {"无线耳机": [("ワイヤレスイヤホン", 100.0)], "无线耳机套装": [("ワイヤレスイヤホン", 82.0)]}.get(text, [])


def test_tm_first_then_provider_with_protected_terms() -> None:
    provider = FakeProvider({("zh", "ja", "⟦0⟧ ⟦1⟧电水壶"): "⟦0⟧ ⟦1⟧電気ケトル",
                             ("zh", "ja", "无线耳机套装"): "イヤホンセット"})
    results = translate_segments(["无线耳机", "Shengyue 节能电水壶", "无线耳机套装"], source_language="zh",
                                 target_language="ja", glossary=GLOSSARY, tm_lookup=tm, provider=provider)
    assert [r.origin for r in results] == ["tm", "mt", "mt"]
    assert results[1].target == "Shengyue 省エネ電気ケトル"
    assert results[2].tm_score == 82.0 and results[2].tm_suggestion == "ワイヤレスイヤホン"
    assert [len(c.texts) for c in provider.calls] == [2]  # the TM hit never reached the provider


def test_without_provider_segments_need_a_translator() -> None:
    results = translate_segments(["无线耳机", "节能电水壶"], source_language="zh", target_language="ja",
                                 glossary=GLOSSARY, tm_lookup=tm)
    assert results[0].target == "ワイヤレスイヤホン"
    assert results[1].target is None and results[1].needs_translator and results[1].origin == "none"


class _Broken:
    name = "broken"

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def translate(self, request: TranslationRequest) -> TranslationResponse:
        if self.mode == "raise":
            raise ProviderError(self.name, "timed out after 30 s")
        return TranslationResponse(tuple("電気ケトル" for _ in request.texts), self.name)  # drops ⟦0⟧


def test_failures_and_lost_terms_never_produce_a_translation() -> None:
    for mode, problem in (("raise", "timed out"), ("drop", "protected term")):
        [result] = translate_segments(["Shengyue 电水壶"], source_language="zh", target_language="ja",
                                      glossary=GLOSSARY, provider=_Broken(mode))
        assert result.target is None and result.needs_translator and problem in (result.problem or "")
