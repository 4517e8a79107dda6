"""Maintainer script: regenerate the derived data files in `reference/data/` from the shared upstream copies.

Run `python -m xborder.reference._build /path/to/shared/data`; never imported at run time.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

DATA = Path(__file__).with_name("data")


def _write_gz(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # mtime=0 keeps the gzip bytes reproducible, so a rebuild without changes shows no diff
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def build_hs(shared: Path) -> set[str]:
    src = shared / "harmonized-system"
    rows: list[list[str]] = []
    with open(src / "harmonized-system.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            # "TOTAL" and chapter 99 ("commodities not specified according to kind") are UN Comtrade reporting
            # codes, not part of the WCO nomenclature
            if row["section"] == "TOTAL" or row["hscode"] == "TOTAL":
                continue
            parent = "" if row["parent"] == "TOTAL" else row["parent"]
            rows.append([row["section"], row["hscode"], row["level"], parent, row["description"]])
    _write_gz(DATA / "hs2022.csv.gz", ["section", "code", "level", "parent", "description"], rows)
    with open(src / "sections.csv", encoding="utf-8-sig", newline="") as fh:
        sections = [[r["section"], r["name"].strip()[:1].upper() + r["name"].strip()[1:]] for r in csv.DictReader(fh)]
    with open(DATA / "hs_sections.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["section", "name"])
        writer.writerows(sections)
    return {r[1] for r in rows}


def build_hmrc(shared: Path, codes: set[str]) -> None:
    refs = json.loads((shared / "hmrc-classification" / "search_references.json").read_text(encoding="utf-8"))
    rows = sorted([phrase.strip().lower(), code[:6]] for phrase, code in refs.items() if code[:6] in codes)
    _write_gz(DATA / "hmrc_search_references.csv.gz", ["phrase", "hs6"], rows)


def build_countries(shared: Path) -> None:
    from babel import Locale

    cldr_zh = Locale.parse("zh_Hans_CN").territories
    items = json.loads((shared / "countries" / "countries.json").read_text(encoding="utf-8"))
    rows = []
    for c in sorted(items, key=lambda c: c["cca2"]):
        idd = c.get("idd") or {}
        root, suffixes = idd.get("root", ""), idd.get("suffixes") or []
        # many NANP members list 300+ area-code suffixes; the calling code proper is then the root alone
        calling = [root + s for s in suffixes] if root and 0 < len(suffixes) <= 3 else ([root] if root else [])
        # CLDR's simplified-Chinese names first (mledoze mixes in Taiwanese usage such as 多明尼加)
        zh = cldr_zh.get(c["cca2"]) or c.get("translations", {}).get("zho", {}).get("common", "")
        rows.append([
            c["cca2"], c["cca3"], c.get("ccn3", ""), c["name"]["common"], c["name"]["official"], zh,
            c.get("region", ""), c.get("subregion", ""), " ".join(sorted(c.get("currencies") or {})),
            " ".join(calling), "1" if c.get("independent") else "0",
        ])
    header = ["alpha2", "alpha3", "numeric", "name_en", "official_en", "name_zh", "region", "subregion",
              "currencies", "calling_codes", "independent"]
    _write_gz(DATA / "countries.csv.gz", header, rows)


def main(argv: list[str]) -> None:
    shared = Path(argv[1] if len(argv) > 1 else "/work/shared/data")
    codes = build_hs(shared)
    build_hmrc(shared, codes)
    build_countries(shared)
    print(f"wrote {DATA}")


if __name__ == "__main__":
    main(sys.argv)
