"""Benchmark: QA of 10,000 listings x 5 markets without MT (target <= 10 s).

Run: PYTHONPATH=src .venv/bin/python benchmarks/l10n_qa.py [--listings 10000]
Listings vary in language, length, units, sizes, markup and culture triggers; each is checked against JP, DE, SA,
US and MY with Amazon rules through `run_qa_markets` (market-independent checks run once per listing).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date

from xborder.localization import Glossary, ListingText, TermEntry, build_qa_context, run_qa_markets

TEMPLATES = {
    "ja": ("ワイヤレスイヤホン Bluetooth 5.3 {model} 最大{h}時間再生 {extra}",
           "<p>重量 {g} g、サイズ {a} x {b} x {c} cm。ノイズキャンセリング対応。IPX5防水。</p>"),
    "de": ("Kabellose Kopfhörer {model} mit Ladecase, {h} Stunden {extra}",
           "Gewicht {g} g, Maße {a} x {b} x {c} cm. Der Akku ist für den täglichen Einsatz und die Reise gedacht."),
    "ar": ("سماعات لاسلكية {model} بلوتوث {h} ساعة {extra}", "الوزن {g} غ والأبعاد {a} x {b} x {c} سم."),
    "en": ("Wireless Earbuds {model} Bluetooth 5.3, {h} Hours Playtime {extra}",
           "Weight {g} g ({oz} oz). Size {a} x {b} x {c} cm. This is the ideal gift for your family and friends."),
    "ms": ("Fon telinga tanpa wayar {model} {h} jam {extra}", "Berat {g} g dan saiz {a} x {b} x {c} cm untuk anda."),
}
EXTRAS = ["", "4個セット", "eco-friendly", "MEGA SALE 50% off", "EU 42", "wine opener", "set of 4", "10 cm (5 in)"]


def make_listings(count: int, seed: int = 7) -> list[ListingText]:
    rng = random.Random(seed)
    languages = list(TEMPLATES)
    listings = []
    for i in range(count):
        lang = languages[i % len(languages)]
        title, description = TEMPLATES[lang]
        values = {"model": f"SY-BT{i}", "h": rng.randint(5, 60), "g": rng.randint(20, 900),
                  "a": rng.randint(2, 40), "b": rng.randint(2, 30), "c": rng.randint(1, 20),
                  "oz": rng.randint(1, 30), "extra": rng.choice(EXTRAS)}
        listings.append(ListingText(
            sku=f"SKU-{i}", language=lang, title=title.format(**values), description=description.format(**values),
            bullets=(f"{values['h']} h", "Bluetooth 5.3"), keywords=("earbuds", "bluetooth"),
            source_language="zh", source_title=(f"声悦 Shengyue 无线耳机 {values['model']} 蓝牙5.3 "
                          f"最长{values['h']}小时"),
            source_description=f"重量{values['g']}克，尺寸{values['a']}x{values['b']}x{values['c']}厘米。"))
    return listings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listings", type=int, default=10_000)
    args = parser.parse_args()
    glossary = Glossary((TermEntry("Shengyue", "do_not_translate"),
                         TermEntry("节能", "required", language="ja", translation="省エネ")))
    day = date(2026, 3, 1)  # inside Ramadan 1447 for the SA/MY promotion check
    contexts = [build_qa_context(market=m, on=day, channel="amazon", glossary=glossary)
                for m in ("JP", "DE", "SA", "US", "MY")]
    listings = make_listings(args.listings)
    started = time.perf_counter()
    findings = 0
    for item in listings:
        findings += sum(len(r.findings) for r in run_qa_markets(item, contexts))
    elapsed = time.perf_counter() - started
    checks = len(listings) * len(contexts)
    print(f"QA {len(listings):,} listings x {len(contexts)} markets = {checks:,} listing-market checks: "
          f"{elapsed:.2f} s ({elapsed / checks * 1e6:.0f} µs each), {findings:,} findings; target <= 10 s: "
          f"{'PASS' if elapsed <= 10 else 'FAIL'}")


if __name__ == "__main__":
    main()
