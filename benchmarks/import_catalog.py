"""Benchmark: import 100,000 variants from CSV and from XLSX into a SQLite file; print wall time and peak RSS.

Targets (issue 2): CSV <= 30 s, XLSX <= 90 s, peak memory <= 1 GiB. For comparison it also times what a user might
do instead, pandas.read_csv + DataFrame.to_sql (no validation at all), when pandas is installed.

    python benchmarks/import_catalog.py [--rows 100000] [--workdir var/bench]

Each measurement runs in a fresh subprocess so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from xborder.catalog.template import COLUMNS

HEADER_ZH = [column.label_zh for column in COLUMNS]  # the template order, as `export --lang zh` writes it
BT = "Bluetooth 2.4 GHz"
FAMILIES = [  # (title, category, hs, battery chemistry, Wh, packing, voltage, power, plug, bands)
    ("真无线蓝牙耳机", "耳机", "851830", "li_polymer", "1.85", "contained_in_equipment", "5", "", "none", BT),
    ("蓝牙音箱", "音箱", "851822", "li_ion", "14.8", "contained_in_equipment", "5", "20", "none", BT),
    ("电热水壶", "厨房电器", "851679", "", "", "none", "220-240", "2200", "C/F", ""),
    ("负离子吹风机", "个护电器", "851631", "", "", "none", "220-240", "2000", "G", ""),
    ("快充移动电源", "移动电源", "850760", "li_polymer", "37", "standalone", "5-20", "22.5", "none", ""),
    ("氮化镓充电器", "充电器", "850440", "", "", "none", "100-240", "65", "A/B", ""),
    ("编织数据线", "数据线", "854442", "", "", "none", "", "60", "USB-C", ""),
    ("LED节能灯泡", "照明", "853952", "", "", "none", "220-240", "9", "", ""),
]
COLORS = ["黑色", "白色", "蓝色", "粉色"]


def generate_rows(count: int) -> list[list[str]]:
    rows = []
    for i in range(count):
        product, variant = divmod(i, 4)
        title, category, hs, chem, wh, pack, volt, power, plug, bands = FAMILIES[product % len(FAMILIES)]
        ref = f"P{product:06d}"
        net = Decimal(50 + (product % 900)) / 1000
        rows.append([ref, f"{ref}-{variant}", COLORS[variant], f"SY-{product:06d} {title}",
                     f"{title}，型号 {product:06d}，节能环保，品质保证。", "zh-CN", "声悦 SHENGYUE", category, hs, "CN",
                     f"{10 + product % 200}.{variant}0", "CNY", str(net), str(net + Decimal("0.08")),
                     "12.5", "8", "4.2",
                     "ABS+PC；硅胶", chem, wh, pack, volt, power, plug, bands, "adult", "家用", "",
                     f"https://img.example/{ref}-{variant}.jpg"])
    return rows


def _column(index: int) -> str:
    name, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def write_excel_like(path: Path, rows: list[list[str]], numeric: set[int]) -> None:
    """A workbook laid out as Excel saves it (shared strings table, numbers as numbers), streamed to the zip."""
    strings: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><dimension ref="A1:'
                        f'{_column(len(HEADER_ZH) - 1)}{len(rows) + 1}"/><sheetData>'.encode())
            for number, row in enumerate([HEADER_ZH, *rows], start=1):
                cells = []
                for index, value in enumerate(row):
                    if value == "":
                        continue
                    ref = f"{_column(index)}{number}"
                    if number > 1 and index in numeric:
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
                sheet.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        shared = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        archive.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} '
                         f'uniqueCount="{len(strings)}">{shared}</sst>')
        archive.writestr("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/'
                         'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                         'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                         f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
                         f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
                         f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
                         "</Types>")
        archive.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/'
                         f'relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
                         'Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} '
                         f'xmlns:r="{_REL}"><sheets><sheet name="商品" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships '
                         f'xmlns="{_PKG}/relationships"><Relationship Id="rId1" Type="{_REL}/worksheet" '
                         f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_REL}/sharedStrings" '
                         'Target="sharedStrings.xml"/></Relationships>')


def write_files(rows: int, workdir: Path) -> tuple[Path, Path, Path]:
    """The CSV (UTF-8 BOM), an Excel-like XLSX, and an XLSX as openpyxl writes it (inline strings, slower to read)."""
    workdir.mkdir(parents=True, exist_ok=True)
    csv_path = workdir / f"catalog_{rows}.csv"
    xlsx_path, inline_path = workdir / f"catalog_{rows}.xlsx", workdir / f"catalog_{rows}_inline.xlsx"
    if csv_path.exists() and xlsx_path.exists() and inline_path.exists():
        return csv_path, xlsx_path, inline_path
    data = generate_rows(rows)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER_ZH)
    writer.writerows(data)
    csv_path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    numeric = {HEADER_ZH.index(h) for h in ("采购价", "净重(kg)", "毛重(kg)", "长(cm)", "宽(cm)", "高(cm)")}
    write_excel_like(xlsx_path, data, numeric)
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("商品")
    sheet.append(HEADER_ZH)
    for row in data:
        sheet.append([float(v) if i in numeric and v else v for i, v in enumerate(row)])
    workbook.save(inline_path)
    return csv_path, xlsx_path, inline_path


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run_xborder(path: Path, db: Path) -> dict[str, float]:
    from xborder import catalog
    from xborder.db import make_engine, make_session_factory
    from xborder.db.models_registry import metadata
    from xborder.identity.models import Organization
    from xborder.settings import ImportLimits

    db.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    metadata.create_all(engine)
    factory = make_session_factory(engine)
    content = path.read_bytes()
    with factory() as session:
        org = Organization(name="Bench", slug="bench", kind="seller")
        session.add(org)
        session.commit()
        start = time.perf_counter()
        report = catalog.import_products(session, organization_id=org.id, filename=path.name, content=content,
                                         limits=ImportLimits())
        session.commit()
        seconds = time.perf_counter() - start
        assert report.ok and report.variants_created > 0, report.errors[:5]
        second = time.perf_counter()
        again = catalog.import_products(session, organization_id=org.id, filename=path.name, content=content,
                                        limits=ImportLimits())
        session.commit()
        upsert_seconds = time.perf_counter() - second
        assert again.ok and again.variants_updated == report.variants_created
    return {"seconds": seconds, "reimport_upsert_seconds": upsert_seconds, "variants": report.variants_created,
            "peak_rss_mib": _peak_rss_mib()}


def run_pandas(path: Path, db: Path) -> dict[str, float]:
    import pandas as pd
    import sqlalchemy

    db.unlink(missing_ok=True)
    engine = sqlalchemy.create_engine(f"sqlite:///{db}")
    start = time.perf_counter()
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    frame.to_sql("catalog_naive", engine, index=False, chunksize=10_000)
    return {"seconds": time.perf_counter() - start, "variants": len(frame), "peak_rss_mib": _peak_rss_mib()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("var/bench"))
    parser.add_argument("--run", choices=["xborder", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        runner = run_xborder if args.run == "xborder" else run_pandas
        print(json.dumps(runner(args.file, args.workdir / f"bench_{args.run}_{args.file.stem}.sqlite3")))
        return
    started = time.perf_counter()
    csv_path, xlsx_path, inline_path = write_files(args.rows, args.workdir)
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 2**20:.1f} MiB" for p in (csv_path, xlsx_path, inline_path))
    print(f"files: {sizes}; ready in {time.perf_counter() - started:.1f} s")
    cases = [("xborder", csv_path, 30), ("xborder", xlsx_path, 90), ("xborder", inline_path, 90)]
    try:
        import pandas  # noqa: F401

        cases.append(("pandas", csv_path, None))
    except ImportError:
        print("pandas is not installed: skipping the read_csv + to_sql comparison")
    for runner, path, target in cases:
        out = subprocess.run([sys.executable, __file__, "--run", runner, "--file", str(path),
                              "--workdir", str(args.workdir)], capture_output=True, text=True, check=False)
        if out.returncode:
            print(f"{runner} {path.suffix}: FAILED\n{out.stderr[-2000:]}")
            continue
        result = json.loads(out.stdout.strip().splitlines()[-1])
        verdict = "" if target is None else (" OK" if result["seconds"] <= target else f" OVER {target} s target")
        verdict += "" if result["peak_rss_mib"] <= 1024 or target is None else " OVER 1 GiB"
        upsert = f", re-import (upsert) {result['reimport_upsert_seconds']:.1f} s" if "reimport_upsert_seconds" in \
            result else ""
        print(f"{runner:8} {path.name:28} {int(result['variants']):>7} variants  {result['seconds']:6.1f} s  "
              f"peak RSS {result['peak_rss_mib']:6.0f} MiB{upsert}{verdict}")


if __name__ == "__main__":
    main()
