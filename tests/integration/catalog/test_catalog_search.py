"""Catalog search on a real database: trigram index and ordered scan agree, the index follows every write path,
short queries match SKU/brand prefixes, and products are listed and searched with keyset pagination."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from xborder import catalog
from xborder.catalog import search
from xborder.settings import ImportLimits

QUERIES = ["sy-e10", "电热水壶", "851830", "蓝牙耳机", "shengyue", "100%", "nothing-like-this", "sy", "S", "声悦",
           "_", "Sy-K", "bk"]


@pytest.fixture
def demo(session: Session, org_a: str) -> str:
    report = catalog.import_products(session, organization_id=org_a, filename="demo.csv",
                                     content=catalog.demo_catalog_csv(), limits=ImportLimits())
    assert report.ok
    session.commit()
    return org_a


def _walk(session: Session, org: str, query: str | None, limit: int = 7, products: bool = False) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        if products:
            page = catalog.list_products(session, organization_id=org, query=query, cursor=cursor, limit=limit)
            seen.extend(p.product_ref for p in page.items)
        else:
            page = catalog.list_variants(session, organization_id=org, query=query, cursor=cursor, limit=limit)
            seen.extend(v.sku for v in page.items)
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


@pytest.fixture
def scan_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Force the ordered-scan strategy (as if every query matched more than the candidate cap)."""
    monkeypatch.setattr(search, "CANDIDATE_CAP", 0)
    yield


@pytest.mark.parametrize("products", [False, True], ids=["variants", "products"])
def test_index_lookup_and_ordered_scan_return_the_same_pages(session: Session, demo: str, products: bool,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    indexed = {q: _walk(session, demo, q, products=products) for q in QUERIES}
    monkeypatch.setattr(search, "CANDIDATE_CAP", 0)
    scanned = {q: _walk(session, demo, q, products=products) for q in QUERIES}
    assert indexed == scanned
    for found in indexed.values():
        assert found == sorted(found) and len(found) == len(set(found))
    if not products:
        assert len(indexed["851830"]) == 18 and indexed["100%"] == [] and indexed["_"] == []
        assert indexed["sy"] == indexed["S"] == _walk(session, demo, None)  # every SKU starts with SY-
        assert indexed["声悦"] == indexed["sy"]  # brand prefix (声悦 SHENGYUE)
        assert indexed["bk"] == []  # two characters match prefixes only, not "-BK" inside a SKU
        assert indexed["sy-e10"] == ["SY-E10-BK", "SY-E10-BL", "SY-E10-PK", "SY-E10-WH"]


def test_search_index_follows_every_write(session: Session, demo: str) -> None:
    def hits(query: str) -> list[str]:
        return [v.sku for v in catalog.list_variants(session, organization_id=demo, query=query, limit=200).items]

    kettle = catalog.get_variant_by_sku(session, organization_id=demo, sku="SY-K10-EU")
    catalog.update_product(session, organization_id=demo, product_id=kettle.product_id,
                           patch=catalog.ProductPatch(title="Zephyrine kettle"))
    catalog.update_variant(session, organization_id=demo, variant_id=kettle.id,
                           patch=catalog.VariantPatch(variant_name="Quixotic white"))
    session.commit()
    assert "SY-K10-EU" in hits("zephyrine") and hits("quixotic") == ["SY-K10-EU"]
    report = catalog.import_products(session, organization_id=demo, filename="u.csv", limits=ImportLimits(),
                                     content=b"sku,variant_name,title\nSY-K10-EU,Marvellous white,Kettle renamed\n")
    assert report.ok and report.variants_updated == 1
    session.commit()
    assert hits("quixotic") == [] and hits("zephyrine") == [] and hits("marvellous") == ["SY-K10-EU"]
    assert "SY-K10-UK" in hits("kettle renamed")  # siblings not in the file follow the new title
    catalog.delete_variant(session, organization_id=demo, variant_id=kettle.id)
    session.commit()
    assert hits("marvellous") == []
    catalog.delete_product(session, organization_id=demo, product_id=kettle.product_id)  # FK cascade
    session.commit()
    assert hits("kettle renamed") == []
    created = catalog.create_product(session, organization_id=demo, data=catalog.ProductIn(
        title="Ocarina", variants=[catalog.VariantIn(sku="OC-1")]))
    session.commit()
    assert hits("ocarina") == ["OC-1"] and hits("oc") == ["OC-1"]
    assert [p.id for p in catalog.list_products(session, organization_id=demo, query="ocarina").items] == [created.id]


def test_search_stays_inside_the_organization(session: Session, demo: str, org_b: str) -> None:
    catalog.import_products(session, organization_id=org_b, filename="b.csv", limits=ImportLimits(),
                            content=b"sku,title,brand\nSY-E10-BK,Rival earbuds,Shengyue\n")
    session.commit()
    assert [v.sku for v in catalog.list_variants(session, organization_id=org_b, query="sy-e10").items] == [
        "SY-E10-BK"]
    assert len(catalog.list_variants(session, organization_id=org_b, query="sh").items) == 1
    assert catalog.list_variants(session, organization_id=demo, query="rival").items == []
    assert [p.title for p in catalog.list_products(session, organization_id=org_b).items] == ["Rival earbuds"]


def test_list_products_pages_and_counts(session: Session, demo: str) -> None:
    refs = _walk(session, demo, None, limit=4, products=True)
    assert len(refs) == 35 and refs == sorted(refs)
    first = catalog.list_products(session, organization_id=demo, limit=2)
    assert [p.product_ref for p in first.items] == refs[:2] and first.next_cursor
    assert first.items[0].variant_count == len(_walk(session, demo, first.items[0].product_ref))
    assert _walk(session, demo, "sy-e10", products=True) == ["SY-E10"]
    assert _walk(session, demo, "电热水壶", products=True) == ["SY-K10", "SY-K17"]


def test_two_character_chinese_words_match_titles(session: Session, demo: str) -> None:
    """耳机 (earphones) is a whole word in Chinese: it must find titles, not only SKU/brand prefixes."""
    found = _walk(session, demo, "耳机")
    titles = {v.sku: v.title for v in catalog.list_variants(session, organization_id=demo, limit=200).items}
    assert found and all("耳机" in titles[sku] for sku in found)
    assert set(found) == {sku for sku, title in titles.items() if "耳机" in title}
    assert search.parse_query("耳机").short_cjk and not search.parse_query("sy").short_cjk
