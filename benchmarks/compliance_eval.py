"""Compliance engine at catalog scale: full evaluation of N SKUs × 20 markets, then the incremental re-evaluation
after a rule change that can affect about 5 % of the SKUs (diff -> affected SKUs -> re-evaluate only those).

Pure core only (no database): the figures are the evaluator's. Targets (issue 4): full ≤ 60 s, incremental ≤ 5 s.

    python benchmarks/compliance_eval.py [--skus 100000] [--seed 7] [--db SKUS]

`--db N` also runs the stored path on a fresh SQLite file: N SKUs imported through the catalog importer,
`evaluate_catalog` over 20 markets (verdict rows + history), then `load_rule_pack` with the same ~5 % change.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import date

from xborder.compliance import Evidence, evaluate_batch, facts_from_mapping, load_library, parse_library
from xborder.compliance.diff import affected_skus, diff_libraries

ON = date(2026, 11, 22)
HS = ["851830", "851822", "850440", "854442", "940549", "851679", "847130", "950300", "910219", "852589",
      "610910", "420292", "392410", "330410", "850760", "851671", "851660", "847160", "640399", "732393"]
BANDS = [None, "none", "none", "Bluetooth 5.3", "Wi-Fi; Bluetooth", "2.4GHz", "LTE; Wi-Fi"]
CHEMISTRY = [None, "li_ion", "li_polymer", "li_metal", "nimh", "alkaline"]
PACKING = ["none", "none", "contained_in_equipment", "packed_with_equipment", "standalone"]
VOLTAGE = [None, "5", "3.7", "12", "100-240", "220-240", "110"]
AGE = [None, "adult", "adult", "child", "infant"]
ORIGIN = ["CN", "CN", "CN", "VN", "DE", "US", "RU", "IR"]
MATERIALS = [None, "ABS", "PVC; polyester", "cotton", "stainless steel", "brass", "silicone"]


def make_products(count: int, seed: int) -> list:
    rng = random.Random(seed)
    products = []
    for i in range(count):
        packing = rng.choice(PACKING)
        row = {"hs_code": rng.choice(HS), "wireless_bands": rng.choice(BANDS), "voltage_v": rng.choice(VOLTAGE),
               "battery_packing": packing, "age_group": rng.choice(AGE), "origin_country": rng.choice(ORIGIN),
               "materials": rng.choice(MATERIALS)}
        if packing != "none":
            row["battery_chemistry"] = rng.choice(CHEMISTRY)
            row["battery_wh"] = str(rng.choice([None, 0.5, 3.7, 7.4, 20, 37, 99.9, 100, 120, 160, 200]) or "")
        products.append(facts_from_mapping(f"SKU-{i:06d}", row))
    return products


def make_evidence(products: list, seed: int) -> list[Evidence]:
    rng = random.Random(seed + 1)
    evidence = [Evidence("org-rp", "representative", "eu-responsible-person", date(2024, 6, 1)),
                Evidence("org-weee-de", "registration", "weee-epr", date(2024, 1, 1), markets=frozenset({"DE"})),
                Evidence("org-pack-de", "registration", "packaging-epr", date(2024, 1, 1), markets=frozenset({"DE"}))]
    # certificates that cover product families of ~50 SKUs, some expiring soon
    for n, start in enumerate(range(0, len(products) // 10, 50)):
        skus = frozenset(p.sku for p in products[start:start + 50])
        expires = date(2027, 1, 1) if n % 3 == 0 else date(2028, 6, 1)
        evidence.append(Evidence(f"red-{n}", "declaration_of_conformity", "ce-red", date(2025, 1, 1), expires,
                                 skus=skus))
        evidence.append(Evidence(f"un-{n}", "test_report", "un38-3", date(2025, 1, 1), skus=skus))
    rng.shuffle(evidence)
    return evidence


def changed_library(library):  # one EU rule's scope is narrowed: toys only (HS 9503) -> about 5 % of SKUs
    docs = {}
    for folder, pack in library.packs.items():
        data = pack.model_dump(mode="json", exclude_none=True)
        if folder == "eu":
            for rule in data["rules"]:
                if rule["id"] == "eu.toys.en71_test_report":
                    rule["evidence"].append({"type": "test_report", "scheme": "en71-2025"})
                    rule["valid_from"] = "2011-07-21"
        docs[folder] = data
    return parse_library(docs)


def _csv(count: int, seed: int) -> bytes:
    rng = random.Random(seed)
    lines = ["product_id,sku,title,hs_code,origin_country,battery_chemistry,battery_wh,battery_packing,voltage_v,"
             "wireless_bands,age_group,materials"]
    for i in range(count):
        packing = rng.choice(PACKING)
        chemistry = rng.choice(["li_ion", "li_polymer", "nimh"]) if packing != "none" else ""
        wh = rng.choice(["0.5", "7.4", "37", "120"]) if packing != "none" else ""
        voltage = rng.choice(["5", "100-240", "220-240", ""])
        lines.append(f"P{i},SKU-{i:06d},Item {i},{rng.choice(HS)},{rng.choice(ORIGIN[:4])},{chemistry},{wh},"
                     f"{packing},{voltage},{rng.choice(['none', 'Bluetooth 5.3', 'Wi-Fi'])},"
                     f"{rng.choice(['adult', 'child'])},{rng.choice(['ABS', 'cotton', 'PVC'])}")
    return ("\n".join(lines) + "\n").encode()


def run_db(count: int, seed: int) -> None:
    import tempfile
    from datetime import UTC, datetime
    from pathlib import Path

    from xborder import catalog, compliance
    from xborder.compliance.monitoring import library_documents
    from xborder.db import make_engine, make_session_factory, transaction
    from xborder.db.models_registry import metadata
    from xborder.identity.models import Organization
    from xborder.kernel import FixedClock
    from xborder.settings import ImportLimits

    clock = FixedClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.sqlite3")
        metadata.create_all(engine)
        factory = make_session_factory(engine)
        with transaction(factory) as session:
            org = Organization(name="Bench", slug="bench", kind="seller")
            session.add(org)
            session.flush()
            org_id = org.id
            report = catalog.import_products(session, organization_id=org_id, filename="bench.csv",
                                             content=_csv(count, seed), limits=ImportLimits())
            assert report.written, report.errors[:3]
        started = time.perf_counter()
        with transaction(factory) as session:
            summary = compliance.evaluate_catalog(session, organization_id=org_id, on=clock.today(), clock=clock)
        full = time.perf_counter() - started
        print(f"db full: {summary.evaluated:,} SKUs x 20 markets stored ({len(summary.changed):,} verdict rows) "
              f"in {full:.1f} s")
        documents = library_documents(compliance.load_library())
        for rule in documents["eu"]["rules"]:
            if rule["id"] == "eu.toys.en71_test_report":
                rule["evidence"].append({"type": "test_report", "scheme": "en71-2025"})
        path = Path(tmp) / "eu"
        path.mkdir()
        import yaml

        (path / "rules.yaml").write_text(yaml.safe_dump(documents["eu"], allow_unicode=True), encoding="utf-8")
        started = time.perf_counter()
        with transaction(factory) as session:
            update = compliance.load_rule_pack(session, location=path, clock=clock)
        incremental = time.perf_counter() - started
        print(f"db incremental: load + diff + re-check {sum(update.reevaluated.values()):,} SKUs "
              f"({sum(update.reevaluated.values()) / count:.1%}) + alert in {incremental:.2f} s")
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skus", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=int, default=0, help="also run the stored path with this many SKUs")
    args = parser.parse_args()
    library = load_library()
    markets = list(library.markets())
    products = make_products(args.skus, args.seed)
    evidence = make_evidence(products, args.seed)
    rules = library.rules_by_market(markets)
    started = time.perf_counter()
    batch = evaluate_batch(products, rules_by_market=rules, on=ON, evidence=evidence)
    full = time.perf_counter() - started
    counts = batch.verdict_counts()
    total = {v: sum(c[v] for c in counts.values()) for v in ("ready", "action_needed", "blocked")}
    print(f"full: {len(products):,} SKUs x {len(markets)} markets = {len(products) * len(markets):,} checklists "
          f"in {full:.2f} s ({batch.groups:,} attribute profiles); verdicts {total}")

    new = changed_library(library)
    started = time.perf_counter()
    changes = diff_libraries(library, new)
    affected = affected_skus(changes, products)
    scope = set().union(*affected.values()) if affected else set()
    subset = [p for p in products if p.sku in scope]
    rerun = evaluate_batch(subset, rules_by_market=new.rules_by_market(sorted(affected)), on=ON, evidence=evidence)
    incremental = time.perf_counter() - started
    print(f"incremental: {len(changes)} rule change(s) -> {len(scope):,} SKUs ({len(scope) / len(products):.1%}) "
          f"in {len(affected)} markets re-evaluated in {incremental:.2f} s ({rerun.groups:,} profiles)")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mib:,.0f} MiB; targets: full <= 60 s {'OK' if full <= 60 else 'MISSED'}, "
          f"incremental <= 5 s {'OK' if incremental <= 5 else 'MISSED'}")
    if args.db:
        run_db(args.db, args.seed)


if __name__ == "__main__":
    main()
