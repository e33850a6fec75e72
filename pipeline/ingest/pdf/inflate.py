"""A ceiling on what one compressed PDF stream may inflate to: a decompression bomb is refused.

pdfminer inflates a FlateDecode stream whole with ``zlib.decompress`` and no bound (pdftypes.py,
``PDFStream.decode``): deflate packs up to 1,000 to 1, so a 4 MB PDF holding one 4 GB page stream
took 81 s and 8.45 GB before tdx could say anything. Other readers cap it for the same reason
(xpdf's "decompression bomb" check, pdf-lib's and pdf_oxide's 100-256 MB per stream; tdx reads
text only and needs less). pdfminer has no setting for it, so the ``zlib`` its stream decoder
calls is replaced by ``_BoundedZlib``, which inflates in steps and stops past ``MAX_STREAM_BYTES``.
Text handouts' streams are kilobytes; a scanned page's image is never inflated (pdfplumber reads
text, not pixels).
"""

from __future__ import annotations

import zlib

MAX_STREAM_BYTES = 64 * 1024 * 1024  # a dense page of text is 0.1 MB, an embedded font a few MB


class StreamTooLarge(Exception):
    """A compressed stream inflates past ``MAX_STREAM_BYTES``."""


class _BoundedZlib:
    """The part of the ``zlib`` module pdfminer's ``pdftypes`` uses, with inflated sizes bounded."""

    error = zlib.error

    def __init__(self, limit: int):
        self.limit = limit

    def decompress(self, data: bytes, *args, **kwargs) -> bytes:
        inflater = _BoundedInflater(self.limit)
        out = inflater.decompress(data)
        if not inflater.inner.eof:  # what zlib.decompress says, so that pdfminer's recovery still runs
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self, *args, **kwargs) -> _BoundedInflater:
        return _BoundedInflater(self.limit, *args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(zlib, name)


class _BoundedInflater:
    """A ``zlib.decompressobj`` that raises ``StreamTooLarge`` instead of growing past the limit."""

    _STEP = 1 << 20

    def __init__(self, limit: int, *args, **kwargs):
        self.inner = zlib.decompressobj(*args, **kwargs)
        self.limit = limit
        self.total = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        pieces = []
        chunk = self.inner.decompress(data, self._STEP)
        while True:
            self.total += len(chunk)
            if self.total > self.limit:
                raise StreamTooLarge(f"a compressed stream inflates to over {self.limit // (1024 * 1024)} MB")
            pieces.append(chunk)
            if not self.inner.unconsumed_tail:
                break
            chunk = self.inner.decompress(self.inner.unconsumed_tail, self._STEP)
        return b"".join(pieces)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def bound_pdfminer_streams(limit: int = MAX_STREAM_BYTES) -> None:
    """Make pdfminer inflate every stream through ``_BoundedZlib`` (once per process)."""
    from pdfminer import pdftypes

    if not isinstance(pdftypes.zlib, _BoundedZlib):
        pdftypes.zlib = _BoundedZlib(limit)
