"""Benchmark: fuzzy translation-memory lookup over 1,000,000 segments (target p99 <= 20 ms).

Run: PYTHONPATH=src .venv/bin/python benchmarks/l10n_tm.py [--segments 1000000] [--queries 1000]
Segments are synthetic product sentences (mixed Chinese and English, as a seller's TM is); queries are edited
copies of stored segments (a word or characters changed) plus unseen sentences.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from xborder.localization.tm_index import TmIndex

NOUNS = ["earbuds", "speaker", "kettle", "charger", "cable", "lamp", "fan", "blender", "watch", "headphones",
         "power bank", "router", "mouse", "keyboard", "scale", "heater", "humidifier", "toothbrush", "shaver"]
ADJ = ["wireless", "portable", "waterproof", "compact", "foldable", "rechargeable", "smart", "quiet", "fast",
       "lightweight", "stainless", "energy-saving", "noise-cancelling", "ergonomic", "durable"]
ZH_NOUNS = ["耳机", "音箱", "电水壶", "充电器", "数据线", "台灯", "风扇", "搅拌机", "手表", "移动电源", "路由器"]
ZH_ADJ = ["无线", "便携", "防水", "小巧", "可折叠", "可充电", "智能", "静音", "快速", "轻便", "不锈钢", "节能"]


def sentence(rng: random.Random, i: int) -> str:
    if rng.random() < 0.5:
        return (f"{rng.choice(ADJ)} {rng.choice(ADJ)} {rng.choice(NOUNS)} with {rng.randint(2, 60)} hours "
                f"battery, model SY-{i:06d}, {rng.choice(['black', 'white', 'blue', 'grey'])}")
    return f"{rng.choice(ZH_ADJ)}{rng.choice(ZH_ADJ)}{rng.choice(ZH_NOUNS)} 型号SY-{i:06d} 续航{rng.randint(2, 60)}小时"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(11)
    texts = [sentence(rng, i) for i in range(args.segments)]
    started = time.perf_counter()
    index = TmIndex()
    index.add_many(list(enumerate(texts)))
    build = time.perf_counter() - started
    queries = []
    for _ in range(args.queries):
        base = texts[rng.randrange(len(texts))]
        roll = rng.random()
        if roll < 0.4:
            queries.append(base.replace("hours", "hrs").replace("小时", "个小时"))
        elif roll < 0.8:
            cut = rng.randrange(1, max(len(base) - 1, 2))
            queries.append(base[:cut] + "x" + base[cut + 1:])
        else:
            queries.append(sentence(rng, args.segments + rng.randint(0, 10**6)))
    latencies, hits = [], 0
    for query in queries:
        t0 = time.perf_counter()
        found = index.search(query, limit=5, min_score=70)
        latencies.append((time.perf_counter() - t0) * 1000)
        hits += bool(found)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"TM index: {len(index):,} segments built in {build:.1f} s; {len(queries)} fuzzy lookups: p50 {p50:.2f} ms, "
          f"p99 {p99:.2f} ms, max {latencies[-1]:.2f} ms, {hits} with a match >= 70; target p99 <= 20 ms: "
          f"{'PASS' if p99 <= 20 else 'FAIL'}")


if __name__ == "__main__":
    main()
