"""Small, valid media files built in code, so the tests carry no binary fixtures."""
from __future__ import annotations

import struct
import zlib


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def ogg_voice(seconds: int = 3) -> bytes:
    """An OGG page whose granule position says `seconds` of 48 kHz Opus audio."""
    return b"OggS\x00\x04" + struct.pack("<q", seconds * 48000) + b"\x00" * 16
