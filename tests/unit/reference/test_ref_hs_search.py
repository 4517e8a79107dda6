"""HS search ranking in English and Chinese, code prefixes, typos, and bad input."""

from __future__ import annotations

import time

import pytest

from xborder import reference
from xborder.kernel import ValidationFailed


def top_codes(text: str, n: int = 2) -> list[str]:
    return [hit.code for hit in reference.hs_search(text, limit=n)]


@pytest.mark.parametrize("text", ["蓝牙耳机", "bluetooth earphones", "Bluetooth Earphones", "wireless earbuds",
                                  "headphones", "耳机", "bluetoth headphnes"])
def test_earphones_rank_8518_first(text: str) -> None:
    assert set(top_codes(text)) == {"851830", "8518"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("充电宝", "850760"), ("power bank", "850760"), ("移动电源", "850760"), ("lithium batteries", "850760"),
        ("电水壶", "851679"), ("electric kettle", "851679"), ("hair dryer", "851631"), ("电吹风", "851631"),
        ("phone charger", "850440"), ("充电器", "850440"), ("USB cable", "854442"), ("数据线", "854442"),
        ("smart watch", "851762"), ("智能手表", "851762"), ("LED lamp", "940542"), ("玩具", "950300"),
        ("toys", "950300"), ("cosmetics", "3304"), ("t-shirts", "610910"), ("T恤", "610910"),
        ("sweater", "611020"), ("毛衣", "611020"), ("sneakers", "640411"), ("backpack", "420292"),
        ("双肩包", "420292"), ("ceramic mug", "691200"), ("马克杯", "691200"), ("保温杯", "961700"),
        ("furniture", "9403"), ("yoga mat", "950691"), ("smartphone", "851713"), ("手机", "851713"),
        ("laptop", "847130"), ("笔记本电脑", "847130"), ("digital camera", "852589"), ("vacuum cleaner", "8508"),
        ("吸尘器", "850811"), ("blender", "850940"), ("破壁机", "850940"), ("bluetooth speaker", "851822"),
        ("蓝牙音箱", "851822"), ("phone case", "392690"), ("手机壳", "420292"),
    ],
)
def test_demo_products_find_their_heading_in_the_top_two(text: str, expected: str) -> None:
    assert expected in top_codes(text, 2)


def test_heading_is_returned_alongside_subheading() -> None:
    codes = top_codes("充电宝", 3)
    assert codes[:2] == ["850760", "8507"]


def test_stainless_steel_bottle_offers_both_plausible_codes() -> None:
    assert {"732393", "961700"} <= set(top_codes("stainless steel bottle", 3))


def test_plural_and_singular_agree() -> None:
    assert top_codes("kettles", 1) == top_codes("kettle", 1)
    assert top_codes("batteries lithium", 1) == top_codes("lithium battery", 1)


@pytest.mark.parametrize(("text", "first"), [("8518", "8518"), ("8518.30", "851830"), ("8518 30", "851830"),
                                             ("85183000", "851830"), ("85", "85")])
def test_code_prefix_puts_the_exact_entry_first(text: str, first: str) -> None:
    hits = reference.hs_search(text, limit=20)
    assert hits[0].code == first
    assert hits[0].match == "code"
    assert all(h.code.startswith(first) for h in hits)


def test_code_prefix_lists_children_in_code_order() -> None:
    codes = [h.code for h in reference.hs_search("8518", limit=9)]
    assert codes == ["8518", "851810", "851821", "851822", "851829", "851830", "851840", "851850", "851890"]


def test_partial_code_prefix_without_own_entry() -> None:
    codes = [h.code for h in reference.hs_search("85183", limit=5)]
    assert codes == ["851830"]


def test_code_and_words_rank_within_the_prefix() -> None:
    hits = reference.hs_search("85 earphones", limit=5)
    assert hits[0].code == "851830"
    assert all(h.code.startswith("85") for h in hits)


def test_unknown_code_prefix_returns_nothing() -> None:
    assert reference.hs_search("999999") == []
    assert reference.hs_search("77") == []


def test_gibberish_returns_nothing() -> None:
    assert reference.hs_search("qqqqzzzz xxyyx") == []


def test_only_headings_and_subheadings_are_ranked_for_words() -> None:
    hits = reference.hs_search("footwear", limit=50)
    assert hits
    assert {h.level for h in hits} <= {4, 6}


def test_hits_carry_both_languages_and_sorted_scores() -> None:
    hits = reference.hs_search("蓝牙耳机", limit=10)
    assert hits[0].description_zh and hits[0].description_en
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].match == "alias"


def test_limit_is_respected() -> None:
    assert len(reference.hs_search("steel", limit=3)) == 3


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_query_is_rejected_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        reference.hs_search(text)
    assert caught.value.details[0].field == "text"


@pytest.mark.parametrize("limit", [0, -1, 101])
def test_bad_limit_is_rejected(limit: int) -> None:
    with pytest.raises(ValidationFailed) as caught:
        reference.hs_search("kettle", limit=limit)
    assert caught.value.details[0].field == "limit"


def test_queries_are_fast_once_the_index_is_built() -> None:
    reference.hs_search("warmup")
    queries = ["bluetooth earphones", "蓝牙耳机", "stainless steel vacuum insulated bottle", "8518", "充电宝"]
    start = time.perf_counter()
    for _ in range(10):
        for query in queries:
            reference.hs_search(query)
    per_query = (time.perf_counter() - start) / (10 * len(queries))
    assert per_query < 0.02  # 20 ms budget; typically well under 1 ms
