"""File guards: size, encodings (UTF-8, BOM, GB18030, refusal naming the byte), truncation, row limit, zip bombs."""

from __future__ import annotations

import io
import zipfile

import pytest

from xborder.catalog.readers import FileRejected, check_xlsx_container, decode_csv, open_sheet
from xborder.settings import ImportLimits

LIMITS = ImportLimits()
TEXT = "SKU,商品名称\nA-1,蓝牙耳机\n"


def _code(content: bytes, filename: str = "f.csv", limits: ImportLimits = LIMITS) -> str:
    with pytest.raises(FileRejected) as caught:
        sheet = open_sheet(filename, content, limits)
        list(sheet.rows)
    return caught.value.code


@pytest.mark.parametrize(("content", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("gb18030"), "gb18030"),
])
def test_detects_each_supported_encoding(content: bytes, encoding: str) -> None:
    text, found = decode_csv(content)
    assert found == encoding
    assert text.endswith(TEXT)
    sheet = open_sheet("f.csv", content, LIMITS)
    assert sheet.header == ["SKU", "商品名称"]
    assert sheet.encoding == encoding
    assert list(sheet.rows) == [(2, ["A-1", "蓝牙耳机"])]


def test_undecodable_file_names_the_byte_offset() -> None:
    content = b"SKU,title\nA,\xff\xfe\x80 bad\n"
    with pytest.raises(FileRejected) as caught:
        decode_csv(content)
    assert caught.value.code == "catalog.undecodable"
    assert "byte 12" in caught.value.message


def test_utf16_and_old_xls_are_refused_with_advice() -> None:
    assert _code("SKU\r\n".encode("utf-16")) == "catalog.unsupported_encoding"
    assert _code(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "f.xls") == "catalog.unsupported_format"


def test_size_limit_is_checked_before_parsing() -> None:
    limits = ImportLimits(max_upload_bytes=10)
    assert _code(b"\xff" * 11, limits=limits) == "catalog.file_too_large"


def test_truncated_csv_unclosed_quote_and_short_row() -> None:
    assert _code(b'SKU,title\nA,"never closed\n') == "catalog.malformed_file"
    assert _code(b"SKU,title,brand\nA,x,y\nB,x") == "catalog.row_length"


def test_too_many_rows() -> None:
    limits = ImportLimits(max_rows=2)
    assert _code(b"SKU\nA\nB\nC\n", limits=limits) == "catalog.too_many_rows"


def test_blank_rows_keep_excel_row_numbers_and_semicolons_are_sniffed() -> None:
    sheet = open_sheet("f.csv", b"\nSKU;title\nA;x\n\nB;y\n", LIMITS)
    assert sheet.header_row == 2
    assert [n for n, _ in sheet.rows] == [3, 5]


def test_empty_and_fake_xlsx() -> None:
    assert _code(b"   ") == "catalog.empty_file"
    assert _code(b"SKU,title", "catalog.xlsx") == "catalog.malformed_file"
    assert _code(b"PK\x03\x04 truncated", "catalog.xlsx") == "catalog.malformed_file"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_refused_by_ratio_before_decompression() -> None:
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(FileRejected) as caught:
        check_xlsx_container(bomb, LIMITS)
    assert caught.value.code == "catalog.zip_bomb"
    assert _code(bomb, "bomb.xlsx") == "catalog.zip_bomb"


def test_zip_bomb_refused_by_total_declared_size() -> None:
    parts = _zip({f"xl/part{i}.xml": bytes(range(256)) * 4096 for i in range(4)})  # 4 MiB declared
    limits = ImportLimits(max_xlsx_uncompressed_bytes=2 * 1024 * 1024, max_xlsx_compression_ratio=10**9)
    with pytest.raises(FileRejected) as caught:
        check_xlsx_container(parts, limits)
    assert caught.value.code == "catalog.zip_bomb"
    assert "expand to 4,194,304 bytes" in caught.value.message
