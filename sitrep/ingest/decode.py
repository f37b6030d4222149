"""Bytes to text: detect the encoding rather than assume UTF-8, and refuse what is not text."""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from ..errors import BinaryInputError, EmptyInputError, EncodingError

# Magic numbers of formats people drop into a folder of articles by mistake.
BINARY_SIGNATURES = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a Word/Excel file)",
    b"\x1f\x8b": "a gzip archive inside a gzip archive",  # one layer is opened (files.py), never two
    b"\x7fELF": "a program",
    b"SQLite format 3": "an SQLite database",
}
SNIFF_BYTES = 8192
# Share of control characters above which bytes are not prose in any encoding.
MAX_CONTROL_SHARE = 0.05


def decode_bytes(data: bytes | bytearray, name: str) -> tuple[str, str]:
    """Return (text, encoding name) for `data`, read from the file or input called `name`."""
    if not data or data.isspace():  # not data.strip(): that would copy a big file
        raise EmptyInputError(f"{name}: the file is empty. Check the path; nothing from it was stored.")
    _refuse_binary(data, name)
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode_as(data, encoding, name), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise EncodingError(
            f"{name}: the bytes are not text in any encoding sitrep recognises. Convert the file to UTF-8 "
            f"(for example with iconv) and ingest it again; nothing from it was stored.")
    return _decode_as(data, best.encoding, name), best.encoding


def _decode_as(data: bytes | bytearray, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as e:
        raise EncodingError(f"{name}: cannot be read as {encoding} ({e}). Convert it to UTF-8 and ingest it "
                            f"again; nothing from it was stored.") from e


def _refuse_binary(data: bytes | bytearray, name: str) -> None:
    head = data[:SNIFF_BYTES]
    for signature, what in BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise BinaryInputError(f"{name}: this is {what}, not text. sitrep reads .txt, .html and .jsonl "
                                   f"articles; nothing from it was stored.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > MAX_CONTROL_SHARE * len(head):
        raise BinaryInputError(f"{name}: this is binary data, not text. sitrep reads .txt, .html and .jsonl "
                               f"articles; nothing from it was stored.")
