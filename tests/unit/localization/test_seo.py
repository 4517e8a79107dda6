"""SEO helpers: title templates per marketplace, keyword suggestions, coverage and stuffing, meta lengths."""

from __future__ import annotations

from xborder.localization import seo


def test_title_templates_drop_empty_parts_and_respect_limits() -> None:
    title = seo.render_title("amazon", brand="Shengyue", product="Electric Kettle", model="SY-K100",
                             feature="1.5 L", colour="White")
    assert title == "Shengyue Electric Kettle SY-K100, 1.5 L, White"
    assert len(seo.render_title("mercadolibre", product="Hervidor eléctrico " * 10)) <= 60


def test_keywords_coverage_stuffing_and_meta() -> None:
    suggestions = seo.suggest_keywords(catalog_texts=["Electric kettle 1.5 L stainless kettle"],
                                       tm_texts=["kettle with auto shut-off"], seller_keywords=["tea kettle"],
                                       existing=["kettle"])
    assert suggestions[0] == "tea kettle" and "kettle" not in suggestions and "stainless" in suggestions
    report = seo.keyword_report(title="Kettle kettle kettle", body="stainless", keywords=["kettle", "glass"])
    assert report.coverage == 0.5 and report.missing == ("glass",) and report.stuffed == ("kettle",)
    assert len(seo.meta_title(title="A" * 80, brand="Shengyue")) <= 60
    assert seo.meta_description(description="<p>" + "word " * 60 + "</p>", bullets=[]).endswith("…")
