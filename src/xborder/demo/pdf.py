"""A minimal, valid one-page PDF (PDF 1.4, Helvetica, cross-reference table with exact offsets) for demo documents.

Pure: text lines in, bytes out. Only printable ASCII is drawn (the standard Type 1 fonts have no CJK glyphs).
"""

from __future__ import annotations

__all__ = ["simple_pdf"]


def _escape(text: str) -> str:
    ascii_only = "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in text)
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(*, title: str, lines: list[str]) -> bytes:
    """One A4 page: `title` in bold, then `lines`; the document info carries the title."""
    stream_lines = ["BT", "/F2 16 Tf", "56 780 Td", f"({_escape(title)}) Tj", "/F1 11 Tf", "0 -28 Td"]
    for line in lines:
        stream_lines += [f"({_escape(line)}) Tj", "0 -16 Td"]
    stream_lines.append("ET")
    stream = "\n".join(stream_lines).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + _escape(title).encode("ascii") + b") /Producer (xborder demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
            f"startxref\n{xref_at}\n%%EOF\n").encode()
    return bytes(out)
