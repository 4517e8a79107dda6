"""Open an uploaded spreadsheet safely: size and zip-bomb guards, encoding detection, streaming rows with Excel numbers.

Yields raw cells; turning cells into catalog values is `rows.py`'s job. Every refusal is a `FileRejected` with a
stable code, raised before anything is written.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from xml.parsers import expat

from xborder.catalog.xlsx import XlsxError, first_sheet_path, first_sheet_rows
from xborder.kernel import DomainError
from xborder.settings import ImportLimits

__all__ = ["FileRejected", "Sheet", "check_xlsx_container", "decode_csv", "open_sheet"]

# Entries smaller than this are not ratio-checked: tiny XML parts compress extremely well and are harmless.
_RATIO_MIN_BYTES = 1024 * 1024
_MAX_ZIP_ENTRIES = 10_000
_MAX_COLUMNS = 500
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Cell = str | int | float | Any | None


class FileRejected(DomainError):
    """The file as a whole cannot be read (too big, bomb, wrong encoding, malformed); `row` set when known."""

    code = "catalog.malformed_file"

    def __init__(self, message: str, *, code: str, row: int | None = None) -> None:
        super().__init__(message, code=code)
        self.row = row


@dataclass
class Sheet:
    """A header row and a lazy stream of (row number as Excel shows it, cells) for the data rows."""

    file_format: Literal["csv", "xlsx"]
    encoding: str | None
    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, list[Cell]]]
    estimated_rows: int
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)


def decode_csv(content: bytes) -> tuple[str, str]:
    """Decode as UTF-8 with BOM, UTF-8 or GB18030, in that order, and say which; refuse anything else.

    GB18030 is what Excel on a Chinese Windows PC writes for "CSV (comma delimited)"; it is a superset of GBK/GB2312.
    """
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected("the file is UTF-16 (Excel \"Unicode Text\"); save it as \"CSV UTF-8\" and import again",
                           code="catalog.unsupported_encoding")
    if content.startswith(codecs.BOM_UTF8):
        try:
            return content[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise FileRejected(f"the file starts with a UTF-8 byte order mark but byte {exc.start + 3} "
                               f"(0x{content[exc.start + 3]:02x}) is not valid UTF-8; the file is damaged or "
                               "mixes encodings", code="catalog.undecodable") from None
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return content.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gb_error:
            raise FileRejected(
                f"the file is neither UTF-8 nor GB18030: byte {utf8_error.start} "
                f"(0x{content[utf8_error.start]:02x}) is not valid UTF-8 and byte {gb_error.start} "
                f"(0x{content[gb_error.start]:02x}) is not valid GB18030; save it as \"CSV UTF-8\"",
                code="catalog.undecodable") from None


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _is_blank(cells: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _csv_sheet(content: bytes, limits: ImportLimits) -> Sheet:
    text, encoding = decode_csv(content)
    if "\x00" in text:
        raise FileRejected("the file contains NUL bytes: it is not a text CSV (or it is damaged)",
                           code="catalog.malformed_file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text), strict=True)
    records = enumerate(reader, start=1)

    def guarded() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, record in records:
                yield number, list(record)
        except csv.Error as exc:
            raise FileRejected(f"row {reader.line_num}: {exc} (is the file truncated or an opening quote unclosed?)",
                               code="catalog.malformed_file", row=reader.line_num) from None

    stream = guarded()
    header_row, header = _first_non_blank(stream)
    estimated = max(text.count("\n") - header_row + 1, 0)
    sheet = Sheet("csv", encoding, [str(h) for h in header], header_row,
                  _limited(stream, limits, len(header), check_length=True), estimated)
    if not text.endswith(("\n", "\r")):
        # Excel ends every row with CRLF; a missing final line break can mean the last row was cut short.
        sheet.warnings.append(("catalog.no_final_newline", "the file does not end with a line break: if it was "
                               "cut off, check that the last row is complete"))
    return sheet


def check_xlsx_container(content: bytes, limits: ImportLimits) -> None:
    """Refuse zip bombs from the zip directory, before any decompression.

    Python's zipfile stops each member at its declared size (and then fails its CRC), so checking the declared
    sizes here also caps what streaming can ever inflate.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise FileRejected("the file is not a valid .xlsx (its zip container is damaged or truncated)",
                           code="catalog.malformed_file") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > _MAX_ZIP_ENTRIES:
            raise FileRejected(f"the .xlsx holds {len(entries)} parts; refusing (at most {_MAX_ZIP_ENTRIES})",
                               code="catalog.zip_bomb")
        total = sum(e.file_size for e in entries)
        if total > limits.max_xlsx_uncompressed_bytes:
            raise FileRejected(f"the .xlsx would expand to {total:,} bytes (limit "
                               f"{limits.max_xlsx_uncompressed_bytes:,}); refusing a possible zip bomb",
                               code="catalog.zip_bomb")
        for entry in entries:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size >= _RATIO_MIN_BYTES and ratio > limits.max_xlsx_compression_ratio:
                raise FileRejected(f"part {entry.filename} expands {ratio:,.0f}x (limit "
                                   f"{limits.max_xlsx_compression_ratio}x); refusing a possible zip bomb",
                                   code="catalog.zip_bomb")


def _xlsx_sheet(content: bytes, limits: ImportLimits) -> Sheet:
    check_xlsx_container(content, limits)
    archive = zipfile.ZipFile(io.BytesIO(content))
    broken = (zipfile.BadZipFile, zlib.error, expat.ExpatError, XlsxError, KeyError, EOFError, OSError)

    def stream() -> Iterator[tuple[int, list[Cell]]]:
        try:
            yield from first_sheet_rows(archive, max_columns=_MAX_COLUMNS)
        except broken as exc:
            raise FileRejected(f"the .xlsx is damaged or truncated: {exc}", code="catalog.malformed_file") from None
        finally:
            archive.close()

    rows = stream()
    header_row, header = _first_non_blank(rows)
    while header and (header[-1] is None or not str(header[-1]).strip()):
        header.pop()
    names = ["" if h is None else str(h) for h in header]
    declared = _declared_rows(archive)
    return Sheet("xlsx", None, names, header_row, _limited(rows, limits, len(names), check_length=False),
                 max(declared - header_row, 0))


def _declared_rows(archive: zipfile.ZipFile) -> int:
    """Row count from the sheet's <dimension ref="A1:AC100001"> (for the progress bar only; 0 when absent)."""
    try:
        with archive.open(first_sheet_path(archive)) as sheet:
            head = sheet.read(4096).decode("utf-8", "replace")
    except (KeyError, XlsxError, zipfile.BadZipFile, zlib.error, expat.ExpatError, OSError):
        return 0
    found = re.search(r'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
    return int(found.group(1)) if found else 0


def _first_non_blank(stream: Iterator[tuple[int, list[Cell]]]) -> tuple[int, list[Cell]]:
    for number, cells in stream:
        if not _is_blank(cells):
            if len(cells) > _MAX_COLUMNS:
                raise FileRejected(f"the header row has {len(cells)} columns (at most {_MAX_COLUMNS})",
                                   code="catalog.too_many_columns", row=number)
            return number, cells
    raise FileRejected("the file has no header row (it is empty)", code="catalog.empty_file")


def _limited(stream: Iterator[tuple[int, list[Cell]]], limits: ImportLimits, width: int,
             *, check_length: bool) -> Iterator[tuple[int, list[Cell]]]:
    """Skip blank rows, stop at the row limit, and flag CSV rows cut short (a truncated file's last line)."""
    data_rows = 0
    for number, cells in stream:
        if _is_blank(cells):
            continue
        data_rows += 1
        if data_rows > limits.max_rows:
            raise FileRejected(f"the file has more than {limits.max_rows:,} data rows; split it",
                               code="catalog.too_many_rows", row=number)
        if check_length and len(cells) != width:
            extra = cells[width:]
            if len(cells) < width or not _is_blank(extra):
                raise FileRejected(f"row {number} has {len(cells)} cells but the header has {width} "
                                   "(truncated file, or a cell with an unquoted delimiter?)",
                                   code="catalog.row_length", row=number)
        yield number, cells


def open_sheet(filename: str, content: bytes, limits: ImportLimits) -> Sheet:
    """Check size and format, then open the CSV or the first worksheet of an XLSX for streaming."""
    if len(content) > limits.max_upload_bytes:
        raise FileRejected(f"the file is {len(content):,} bytes; the limit is {limits.max_upload_bytes:,}",
                           code="catalog.file_too_large")
    if not content.strip():
        raise FileRejected("the file is empty", code="catalog.empty_file")
    if content.startswith(_OLE2_MAGIC):
        raise FileRejected("old Excel .xls files are not supported; save as .xlsx or CSV UTF-8",
                           code="catalog.unsupported_format")
    if content.startswith(b"PK\x03\x04") or content.startswith(b"PK\x05\x06"):
        return _xlsx_sheet(content, limits)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileRejected("the file is named .xlsx but is not an Excel workbook (damaged or truncated?)",
                           code="catalog.malformed_file")
    return _csv_sheet(content, limits)
