"""Studio read models and bulk work on a real database: the editor shows the journey's three JP findings with TM
matches and glossary hits, pages of listings, bulk translate / approve per item, and the per-market QA summary."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

import xborder.localization.models  # noqa: F401 - registers the tables before the engine fixture creates them
from xborder import catalog, localization
from xborder.identity.models import Organization
from xborder.kernel import ValidationFailed
from xborder.localization.providers.fake import FakeProvider

DAY = date(2026, 11, 22)
GLOSSARY = ("term,kind,language,translation,source_language,market,note\n"
            "节能,required,ja,省エネ,zh,,energy-saving\n声悦,do_not_translate,,,,,brand\n").encode()


def _org(session: Session) -> str:
    org = Organization(name="Shengyue", slug="shengyue", kind="seller")
    session.add(org)
    session.flush()
    return org.id


def _product(session: Session, org: str, ref: str, title: str, description: str = "",
             source_language: str | None = "zh-CN") -> str:
    return catalog.create_product(session, organization_id=org, data=catalog.ProductIn(
        product_ref=ref, title=title, description=description, source_language=source_language,
        variants=[catalog.VariantIn(sku=f"{ref}-1")])).id


def _journey(session: Session) -> tuple[str, str]:
    org = _org(session)
    product = _product(session, org, "SY-K100", "声悦 节能电水壶 1.5L SY-K100 4件套", "尺寸 20 x 15 厘米")
    localization.import_glossary(session, organization_id=org, content=GLOSSARY)
    localization.add_segment(session, organization_id=org, source_language="zh-CN", target_language="ja",
                             source_text="声悦 节能电水壶 1.5L SY-K100",
                             target_text="声悦 省エネ電気ケトル 1.5L SY-K100")
    listing = localization.create_listing(session, organization_id=org, product_id=product, market="JP",
                                          language="ja", title="声悦 使用制限電気ケトル 1.5L SY-K100 4個セット",
                                          description="サイズ 8 x 6 in", user_id="u-lin")
    return org, listing.id


def test_editor_shows_the_three_journey_findings_bilingually_with_tm_and_glossary(session: Session) -> None:
    org, listing_id = _journey(session)
    view = localization.open_editor(session, organization_id=org, listing_id=listing_id, on=DAY)
    codes = {f.code for f in view.findings}
    assert {"known_mistranslation", "unlucky_number", "metric_units_missing"} <= codes
    drift = next(f for f in view.findings if f.code == "known_mistranslation")
    assert drift.severity == "critical" and "省エネ" in drift.message_en and "限制使用" in drift.message_zh
    assert view.blocking and view.direction == "ltr" and view.transitions == ("needs_review",)
    title = view.segments[0]
    assert title.field == "title" and title.tm_matches and 70 <= title.tm_matches[0].score < 100
    hits = {(h.term, h.kind): h for h in view.glossary_hits}
    assert hits[("节能", "required")].satisfied is False and hits[("声悦", "do_not_translate")].satisfied
    assert view.revisions[0].changed_by == "u-lin"


def test_back_translation_joins_qa_when_a_provider_is_given(session: Session) -> None:
    org, listing_id = _journey(session)
    title = "声悦 使用制限電気ケトル 1.5L SY-K100 4個セット"
    provider = FakeProvider({("ja", "zh-CN", title): "声悦 限制使用电水壶 1.5L SY-K100 4件套"})
    view = localization.open_editor(session, organization_id=org, listing_id=listing_id, on=DAY, provider=provider)
    assert provider.calls  # the drift check asked for back-translations
    assert localization.back_translator(FakeProvider())("x", "ja", "zh") is None  # provider trouble: no opinion
    assert {f.code for f in view.findings} >= {"known_mistranslation"}


def test_arabic_targets_are_right_to_left() -> None:
    assert localization.text_direction("ar") == "rtl" and localization.text_direction("he") == "rtl"
    assert localization.text_direction("ja") == "ltr" and localization.text_direction("de") == "ltr"


def test_pages_of_listings_follow_the_cursor(session: Session) -> None:
    org = _org(session)
    ids = []
    for n in range(5):
        product = _product(session, org, f"P{n}", f"产品 {n}")
        ids.append(localization.create_listing(session, organization_id=org, product_id=product, market="DE",
                                               language="de", title=f"Produkt {n}").id)
    first = localization.page_listings(session, organization_id=org, limit=2)
    second = localization.page_listings(session, organization_id=org, limit=2, cursor=first.next_cursor)
    third = localization.page_listings(session, organization_id=org, limit=2, cursor=second.next_cursor)
    assert [v.id for v in first.items + second.items + third.items] == sorted(ids)
    assert third.next_cursor is None
    assert localization.page_listings(session, organization_id=org, market="jp").items == []
    with pytest.raises(ValidationFailed):
        localization.page_listings(session, organization_id=org, status="nonsense")


def test_bulk_translate_reports_per_product_and_never_invents(session: Session) -> None:
    org = _org(session)
    kettle = _product(session, org, "K1", "电水壶", "容量 1.5L")
    bare = _product(session, org, "K2", "音箱", source_language=None)
    localization.add_segment(session, organization_id=org, source_language="zh-CN", target_language="ja",
                             source_text="电水壶", target_text="電気ケトル")
    targets = localization.bulk_targets(session, organization_id=org, action="translate")
    assert targets == [kettle, bare]
    seen: list[int] = []
    result = localization.translate_products(session, organization_id=org, product_ids=targets, market="JP",
                                             language="ja", provider=None, progress=seen.append)
    assert seen == [1, 2] and result.total == 2 and result.succeeded == 1 and result.pending_fields == 1
    assert result.failures[0].item_id == bare and result.failures[0].code == "localization.no_source_language"
    listing = localization.get_listing(session, organization_id=org, listing_id=result.listing_ids[0])
    assert listing.title == "電気ケトル" and listing.description == "" and listing.pending_segments == ("description",)
    again = localization.translate_products(session, organization_id=org, product_ids=[kettle], market="JP",
                                            language="ja", provider=FakeProvider({("zh-CN", "ja", "容量 1.5L"):
                                                                                   "容量 1.5L"}))
    refilled = localization.get_listing(session, organization_id=org, listing_id=again.listing_ids[0])
    assert refilled.title == "電気ケトル" and refilled.description == "容量 1.5L" and not refilled.pending_segments


def test_bulk_approve_moves_clean_listings_and_reports_blocked_ones(session: Session) -> None:
    org, blocked = _journey(session)
    clean_product = _product(session, org, "SY-S1", "蓝牙音箱 SY-S1", "")
    clean = localization.create_listing(session, organization_id=org, product_id=clean_product, market="JP",
                                        language="ja", title="Bluetoothスピーカー SY-S1").id
    targets = localization.bulk_targets(session, organization_id=org, action="approve", ids=[blocked, clean])
    result = localization.approve_listings(session, organization_id=org, listing_ids=targets, on=DAY, user_id="u")
    assert result.succeeded == 1 and result.listing_ids == (clean,)
    assert result.failures[0].item_id == blocked and result.failures[0].code == "known_mistranslation"
    assert localization.get_listing(session, organization_id=org, listing_id=blocked).status == "draft"
    assert localization.get_listing(session, organization_id=org, listing_id=clean).status == "approved"
    history = localization.list_revisions(session, organization_id=org, listing_id=clean)
    assert [r.status for r in history] == ["draft", "needs_review", "approved"]
    rerun = localization.approve_listings(session, organization_id=org, listing_ids=[clean], on=DAY)
    assert rerun.skipped == 1 and rerun.succeeded == 0
    assert localization.bulk_targets(session, organization_id=org, action="approve", market="JP") == []


def test_qa_dashboard_counts_findings_by_market_code_and_severity(session: Session) -> None:
    org, _ = _journey(session)
    product = _product(session, org, "SY-E1", "蓝牙耳机 SY-E1")
    localization.create_listing(session, organization_id=org, product_id=product, market="DE", language="de",
                                title="Bluetooth-Kopfhörer SY-E1")
    board = localization.qa_dashboard(session, organization_id=org, on=DAY)
    assert [m.market for m in board.markets] == ["DE", "JP"] and board.listings == 2
    jp = board.markets[1]
    assert jp.blocked_listings == 1 and jp.critical >= 1 and jp.count("unlucky_number") == 1
    assert jp.count("metric_units_missing") == 1 and jp.by_code[0].severity == "critical"
    assert jp.findings == jp.critical + jp.functional + jp.cosmetic
    assert board.codes[0].severity == "critical"
    only_de = localization.qa_dashboard(session, organization_id=org, on=DAY, market="de")
    assert [m.market for m in only_de.markets] == ["DE"]
