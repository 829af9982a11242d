"""The members of a ZIP archive read without trusting what the archive says about itself
(issue 15): the sizes in its directory can lie, so each member is inflated here from its
own compressed bytes, with a running count that stops at a limit, and its real size and
CRC are compared with the declared ones only at the end.

Refused before anything is inflated: too many members, a member whose name climbs out of
the archive (``../``, an absolute path, a drive letter, a backslash, a NUL), two members
with the same name (a reader might take either), encrypted members, compression methods
other than stored and deflate (the only two Word writes), members whose bytes overlap
(the "non-recursive" ZIP bomb that points many members at one stream) or run past the
end, and a local header whose name differs from the directory's.

A member may expand at most ``ratio`` times its compressed size (beyond a small grace),
and at most ``member_bytes``; all members together at most ``total_bytes``. The
exceptions say which rule was broken; the caller turns them into words."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

CHUNK = 1024 * 1024  # at most this much inflated output at a time
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafeZip(Exception):
    """The archive is refused."""


class Damaged(UnsafeZip):
    """Not a well-formed archive (or a member's bytes do not match its directory entry)."""


class Bomb(UnsafeZip):
    """It expands (or would) past a limit, or has too many members."""


class UnsafeName(UnsafeZip):
    """A member's name points outside the archive."""


class Encrypted(UnsafeZip):
    """A member is encrypted."""


@dataclass(frozen=True)
class Limits:
    members: int = 5000
    member_bytes: int = 100 * 1024 * 1024
    total_bytes: int = 200 * 1024 * 1024
    ratio: int = 100  # deflate reaches about 1,000:1 on zeros; text and XML 5-20:1
    grace_bytes: int = 1024 * 1024  # any member may expand this far, whatever its ratio


def unsafe_name(name: str) -> bool:
    if "\x00" in name or "\\" in name or name.startswith("/") or _DRIVE.match(name):
        return True
    return ".." in name.split("/")


class SafeZip:
    """An archive in memory (``data`` is at most the upload limit), checked on opening;
    ``measure()`` inflates every member once to check the real sizes, ``chunks(name)``
    gives one member's real bytes."""

    def __init__(self, data: bytes, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._data = data
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            raise Damaged from exc
        if len(infos) > self.limits.members:
            raise Bomb
        # What it declares can only refuse, never accept: the real sizes are measured.
        if sum(info.file_size for info in infos) > self.limits.total_bytes:
            raise Bomb
        if any(unsafe_name(info.orig_filename) for info in infos):
            raise UnsafeName
        if any(
            info.flag_bits & 0x41 or info.compress_type == 99  # encrypted, strong, AES
            for info in infos
        ):
            raise Encrypted
        methods = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        if any(info.compress_type not in methods for info in infos):
            raise Damaged
        folded = [info.filename.casefold() for info in infos]
        if len(set(folded)) != len(folded):
            raise Damaged
        self._spans = {info.filename: self._span(info) for info in infos}
        end = 0
        for start, stop in sorted(self._spans.values()):
            if start < end:
                raise Bomb  # two members share bytes
            end = stop
        self.infos = infos
        self.names = [info.filename for info in infos]

    def _span(self, info: zipfile.ZipInfo) -> tuple[int, int]:
        """Where the member's local header starts and its compressed bytes end."""
        offset = info.header_offset
        header = self._data[offset : offset + _LOCAL_HEADER.size]
        if len(header) < _LOCAL_HEADER.size:
            raise Damaged
        fields = _LOCAL_HEADER.unpack(header)
        if fields[0] != _LOCAL_SIGNATURE:
            raise Damaged
        name_length, extra_length = fields[-2], fields[-1]
        name_start = offset + _LOCAL_HEADER.size
        raw_name = self._data[name_start : name_start + name_length]
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        if raw_name.decode(encoding, errors="replace") != info.orig_filename:
            raise Damaged  # the directory and the member disagree on what this is
        start = name_start + name_length + extra_length
        stop = start + info.compress_size
        if stop > len(self._data):
            raise Damaged
        return offset, stop

    def _info(self, name: str) -> zipfile.ZipInfo:
        return self._zip.getinfo(name)

    def measure(self) -> None:
        """Inflate every member once, counting: each within its limits, all within the
        total, each of the size and CRC it declares."""
        total = 0
        for info in self.infos:
            for chunk in self.chunks(info.filename):
                total += len(chunk)
                if total > self.limits.total_bytes:
                    raise Bomb

    def chunks(self, name: str) -> Iterator[bytes]:
        """The member's real bytes, in pieces of at most ``CHUNK``; raises ``Bomb`` as
        soon as they pass the member's limit, ``Damaged`` at the end if they are not what
        the directory says."""
        info = self._info(name)
        stop = self._spans[name][1]
        raw = memoryview(self._data)[stop - info.compress_size : stop]
        limit = min(
            self.limits.member_bytes,
            max(self.limits.grace_bytes, self.limits.ratio * info.compress_size),
        )
        size = 0
        crc = 0
        for piece in _inflate(raw, info.compress_type):
            size += len(piece)
            if size > limit:
                raise Bomb
            crc = zlib.crc32(piece, crc)
            yield piece
        if size > info.file_size:
            raise Bomb  # it declared less than it holds: the sizes lie
        if size != info.file_size or crc != info.CRC:
            raise Damaged

    def head(self, name: str, length: int) -> bytes:
        """The member's first ``length`` real bytes (without reading the rest)."""
        out = b""
        for piece in self.chunks(name):
            out += piece
            if len(out) >= length:
                break
        return out[:length]


def _inflate(raw: memoryview, method: int) -> Iterator[bytes]:
    if method == zipfile.ZIP_STORED:
        for start in range(0, len(raw), CHUNK):
            yield bytes(raw[start : start + CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for start in range(0, len(raw), 64 * 1024):
            piece = inflater.decompress(raw[start : start + 64 * 1024], CHUNK)
            while True:
                if piece:
                    yield piece
                if not inflater.unconsumed_tail:
                    break
                piece = inflater.decompress(inflater.unconsumed_tail, CHUNK)
            if inflater.eof:
                break
        rest = inflater.flush()
    except zlib.error as exc:
        raise Damaged from exc
    if rest:
        yield rest
    if not inflater.eof:
        raise Damaged  # the stream stops in the middle
