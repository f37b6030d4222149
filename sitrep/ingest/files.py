"""Bytes from files and standard input: never more than the limit, gzip read but never a gzip bomb.

A file is read once into one buffer (no second copy), and a gzip stream is decompressed chunk by
chunk, so a refusal comes as soon as the limit is passed, not after the whole bomb is in memory.
Gzip is recognised by its magic number, whatever the file is called.
"""
from __future__ import annotations

import gzip
import io
import stat
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, MissingInputError, TooLargeError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # far above any article; a bigger file is almost always a mistake
GZIP_MAGIC = b"\x1f\x8b"
# Prose compresses 2-10 times (the seeds: 2.1-2.4); a hundred times is filler or a bomb. Below the floor
# a high ratio is harmless (a short repetitive file), so only the size limit applies there.
MAX_GZIP_RATIO = 100
GZIP_RATIO_FLOOR = 1024 * 1024
CHUNK_BYTES = 1024 * 1024

__all__ = ["DEFAULT_MAX_BYTES", "MAX_GZIP_RATIO", "gunzip_if_gzip", "iter_lines", "read_limited", "too_large"]


def read_limited(file: Path | None, name: str, max_bytes: int) -> bytes | bytearray:
    """The bytes of `file` (standard input when None), decompressed if gzip, at most `max_bytes` of them."""
    if file is None:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise too_large(name, max_bytes)
        return gunzip_if_gzip(data, name, max_bytes)
    with _open(file, name) as fh:
        size = _size(fh, name)
        if size > max_bytes:
            raise too_large(name, max_bytes)
        if fh.read(2) == GZIP_MAGIC:
            fh.seek(0)
            return _gunzip(fh, size, name, max_bytes)
        fh.seek(0)
        data = fh.read(max_bytes + 1)  # one buffer of the file's size; +1 catches a file that grew meanwhile
    if len(data) > max_bytes:
        raise too_large(name, max_bytes)
    return data


def gunzip_if_gzip(data: bytes, name: str, max_bytes: int) -> bytes | bytearray:
    """Bytes already in hand (standard input, a record of an archive), decompressed if they are gzip."""
    return _gunzip(io.BytesIO(data), len(data), name, max_bytes) if data.startswith(GZIP_MAGIC) else data


def iter_lines(file: Path, name: str, max_line_bytes: int) -> Iterator[bytes | InputError]:
    """Lines of a (possibly gzip) file one at a time, so a big feed is never held whole.

    A line over `max_line_bytes` yields a `TooLargeError` in its place and is skipped; a gzip stream that
    is corrupt or expands like a bomb yields an `InputError` and ends the listing there.
    """
    try:
        fh = _open(file, name)
    except InputError as e:
        yield e
        return
    with fh:
        try:
            compressed = _size(fh, name)
        except InputError as e:
            yield e
            return
        is_gzip = fh.read(2) == GZIP_MAGIC
        fh.seek(0)
        stream: BinaryIO = gzip.GzipFile(fileobj=fh, mode="rb") if is_gzip else fh  # type: ignore[assignment]
        budget = max(GZIP_RATIO_FLOOR, MAX_GZIP_RATIO * compressed) if is_gzip else None
        total = line_no = 0
        try:
            while True:
                # Never read past the bomb budget, even inside one line: a bomb need not hold a newline.
                room = max_line_bytes + 1 if budget is None else min(max_line_bytes + 1, budget - total + 1)
                line = stream.readline(room)
                if not line:
                    return
                line_no += 1
                total += len(line)
                if len(line) > max_line_bytes and not line.endswith(b"\n"):
                    total += _skip_line(stream, None if budget is None else budget - total)
                    if budget is None or total <= budget:
                        yield TooLargeError(f"{name} line {line_no}: longer than the "
                                            f"{_megabytes(max_line_bytes)} limit. If it really is one article, "
                                            f"raise the limit with --max-mb; nothing from it was stored.")
                        continue
                if budget is not None and total > budget:
                    yield _bomb(f"{name} line {line_no}", compressed)
                    return
                yield line
        except (OSError, EOFError, zlib.error) as e:
            yield InputError(f"{name} line {line_no + 1}: the gzip data is corrupt or cut short ({e}); the lines "
                             f"before it were read. Compress the file again; nothing after it was stored.")


def too_large(name: str, max_bytes: int) -> TooLargeError:
    return TooLargeError(f"{name}: larger than the {_megabytes(max_bytes)} limit. If it really is one article, "
                         f"raise the limit with --max-mb; nothing from it was stored.")


def _open(file: Path, name: str) -> BinaryIO:
    try:
        if not stat.S_ISREG(file.stat().st_mode):  # a pipe would block the open itself, a device never ends
            raise InputError(f"{name}: not a regular file (a folder, a pipe or a device); give a file, or '-' to "
                             f"read standard input. Nothing from it was stored.")
        return file.open("rb")
    except FileNotFoundError as e:
        raise MissingInputError(f"{name}: no such file. Check the path (in a manifest, relative to the "
                                f"manifest's folder); nothing from it was stored.") from e
    except (OSError, ValueError) as e:  # a folder, no permission, a name too long, a NUL in the name
        raise InputError(f"{name}: cannot be read ({getattr(e, 'strerror', None) or e}); nothing from it was "
                         f"stored.") from e


def _size(fh: BinaryIO, name: str) -> int:
    try:
        size = fh.seek(0, io.SEEK_END)
        fh.seek(0)
    except OSError as e:  # a pipe or a terminal: no size to check against the limit before reading
        raise InputError(f"{name}: cannot be read as a file ({e.strerror or e}); give a regular file, or '-' "
                         f"to read standard input. Nothing from it was stored.") from e
    return size


def _gunzip(fh: BinaryIO, compressed: int, name: str, max_bytes: int) -> bytearray:
    """Decompress chunk by chunk into one growing buffer, stopping at the limit or the bomb ratio."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=fh, mode="rb") as stream:
            while chunk := stream.read(CHUNK_BYTES):
                out += chunk
                if len(out) > max_bytes:
                    raise TooLargeError(f"{name}: decompresses to more than the {_megabytes(max_bytes)} limit. "
                                        f"If it really is one article, raise the limit with --max-mb; nothing "
                                        f"from it was stored.")
                if _is_bomb(len(out), compressed):
                    raise _bomb(name, compressed)
    except (OSError, EOFError, zlib.error) as e:
        raise InputError(f"{name}: the gzip data is corrupt or cut short ({e}). Compress the file again or "
                         f"ingest it uncompressed; nothing from it was stored.") from e
    return out


def _is_bomb(decompressed: int, compressed: int) -> bool:
    return decompressed > max(GZIP_RATIO_FLOOR, MAX_GZIP_RATIO * compressed)


def _bomb(name: str, compressed: int) -> TooLargeError:
    return TooLargeError(f"{name}: the gzip data expands more than {MAX_GZIP_RATIO} times its {compressed} bytes, "
                         f"as a decompression bomb does, not text. Check where the file came from; if it is "
                         f"genuine, ingest it uncompressed. Nothing more from it was stored.")


def _skip_line(stream: BinaryIO, budget: int | None) -> int:
    """Read past the rest of an over-long line in bounded chunks, or until `budget` bytes are spent."""
    skipped = 0
    while (budget is None or skipped <= budget) and (chunk := stream.readline(CHUNK_BYTES)):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _megabytes(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n}-byte"
