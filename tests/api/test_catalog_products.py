"""GET /api/v1/products: the product list with search and cursor pagination, scoped to the caller's organization."""

from __future__ import annotations


def test_product_list_search_and_pages(client, org_a, org_b) -> None:
    for n in range(5):
        created = client.post("/api/v1/products", headers=org_a.auth(), json={
            "product_ref": f"PAGE-{n}", "title": f"Paged lamp {n}", "brand": "Lumina",
            "variants": [{"sku": f"PAGE-{n}-A"}, {"sku": f"PAGE-{n}-B"}]})
        assert created.status_code == 201
    listed = client.get("/api/v1/products", headers=org_a.auth()).json()
    assert [p["product_ref"] for p in listed["items"]] == [org_a.sku, "PAGE-0", "PAGE-1", "PAGE-2", "PAGE-3",
                                                          "PAGE-4"]
    assert listed["next_cursor"] is None and listed["items"][1]["variant_count"] == 2
    refs, cursor = [], None
    while True:
        page = client.get("/api/v1/products", params={"q": "paged lamp", "limit": 2}
                          | ({"cursor": cursor} if cursor else {}), headers=org_a.auth("viewer")).json()
        refs += [p["product_ref"] for p in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert refs == [f"PAGE-{n}" for n in range(5)]
    assert [p["product_ref"] for p in client.get("/api/v1/products", params={"q": "lu"},
                                                 headers=org_a.auth()).json()["items"]] == refs  # brand prefix
    assert client.get("/api/v1/products", params={"q": "paged"}, headers=org_b.auth()).json()["items"] == []
    bad = client.get("/api/v1/products", params={"cursor": "nope"}, headers=org_a.auth())
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/products").status_code == 401
