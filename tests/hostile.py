"""Hostile inputs built at test time (a test helper, not a test file): PDFs written byte by byte
to hold what no word processor writes — Form XObjects nested into an exponential tree, a compressed
stream that inflates to gigabytes — and special files (FIFOs) where a handout is expected.
``bench/robust_bench.py`` reads the same files."""

from __future__ import annotations

import zlib
from pathlib import Path


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF whose object ``i + 1`` is ``objects[i]`` (object 1 the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _stream(data: bytes, extra: bytes = b"", *, compress: bool = False) -> bytes:
    if compress:
        data, extra = zlib.compress(data, 9), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page(contents: bytes, resources: bytes) -> list[bytes]:
    """Catalog, pages, one page (objects 1-3), its font (4) and its content stream (5)."""
    return [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
            b"/Resources << /Font << /F1 4 0 R >> " + resources + b" >> >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            contents]


def nested_xobjects_pdf(path: Path, depth: int = 40) -> Path:
    """One page drawing Form XObject 0, which draws XObject 1 twice, which draws XObject 2 twice…:
    2**depth drawings of one word in a file of a few kilobytes."""
    first = 6
    forms = []
    for level in range(depth):
        if level + 1 < depth:
            body = b"q /X Do Q q /X Do Q"
            resources = b" /Resources << /XObject << /X %d 0 R >> >>" % (first + level + 1)
        else:
            body = b"BT /F1 12 Tf 72 700 Td (mot) Tj ET"
            resources = b" /Resources << /Font << /F1 4 0 R >> >>"
        forms.append(_stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]" + resources))
    page = _page(_stream(b"q /X Do Q"), b"/XObject << /X %d 0 R >>" % first)
    return write_pdf(path, page + forms)


def stream_bomb_pdf(path: Path, inflated_mb: int = 4096) -> Path:
    """One page of text whose content stream inflates to ``inflated_mb`` MB of spaces: deflate
    packs 1,000 to 1 at best, so 4 GB take 4 MB on disk."""
    head = b"BT /F1 12 Tf 72 700 Td (Une page ordinaire.) Tj ET\n"
    zipper = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = zipper.compress(head) + b"".join(zipper.compress(chunk) for _ in range(inflated_mb)) + zipper.flush()
    contents = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    return write_pdf(path, _page(contents, b""))
