"""Files in the sandbox: kept in memory, addressed by file_id, described as Telegram's media objects."""
from __future__ import annotations

import mimetypes
import secrets
import struct
from dataclasses import dataclass
from typing import Any

from sandbox.errors import bad_request

# Where each kind of file lives under /file/bot<token>/, as Telegram lays it out.
_FOLDERS = {"photo": "photos", "voice": "voice", "video": "videos", "audio": "music",
            "animation": "animations", "document": "documents", "sticker": "stickers"}
_DEFAULT_MIME = {"photo": "image/jpeg", "voice": "audio/ogg", "video": "video/mp4", "audio": "audio/mpeg",
                 "animation": "video/mp4", "document": "application/octet-stream"}


@dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    mime_type: str
    file_name: str | None = None

    def to_file_json(self) -> dict[str, Any]:
        """The File object getFile answers with."""
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": len(self.data), "file_path": self.file_path}


class FileStore:
    """Every file users or the bot sent; a photo's sizes are separate file_ids over the same bytes."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self.photo_sets: dict[str, list[dict[str, Any]]] = {}

    def add(self, kind: str, data: bytes, mime_type: str | None = None, file_name: str | None = None) -> StoredFile:
        serial = len(self._by_id)
        guessed = mimetypes.guess_type(file_name)[0] if file_name else None
        mime = mime_type or guessed or _DEFAULT_MIME.get(kind, "application/octet-stream")
        extension = mimetypes.guess_extension(mime) or ""
        stored = StoredFile(
            file_id=f"SBX{kind[:2].upper()}{serial:04d}{secrets.token_urlsafe(24)}",
            file_unique_id=f"SBXU{serial:04d}{secrets.token_hex(4)}",
            kind=kind, data=data, mime_type=mime, file_name=file_name,
            file_path=f"{_FOLDERS.get(kind, 'documents')}/file_{serial}{extension}",
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile:
        if file_id not in self._by_id:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return self._by_id[file_id]

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)

    def find(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG, GIF or JPEG header.

    Written here rather than taking Pillow: three fixed headers are all the sandbox needs to report sizes.
    """
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", data[6:10])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return width, height
            i += 2 + length
    return 640, 480


def ogg_duration(data: bytes) -> int:
    """Seconds of an OGG/Opus voice note, from the last page's granule position (48 kHz for Opus)."""
    last = data.rfind(b"OggS")
    if last < 0 or last + 14 > len(data):
        return 1
    granule = struct.unpack("<q", data[last + 6:last + 14])[0]
    return max(1, round(granule / 48000)) if granule > 0 else 1


def photo_sizes(files: FileStore, data: bytes) -> list[dict[str, Any]]:
    """A photo as Telegram describes it: a small thumbnail size, then the full size."""
    width, height = image_size(data)
    scale = min(1.0, 90 / max(width, height, 1))
    sizes = []
    for w, h in ((max(1, round(width * scale)), max(1, round(height * scale))), (width, height)):
        stored = files.add("photo", data, "image/jpeg" if data[:2] == b"\xff\xd8" else None)
        sizes.append({"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                      "file_size": len(data), "width": w, "height": h})
    for size in sizes:
        files.photo_sets[size["file_id"]] = sizes
    return sizes


def media_json(kind: str, stored: StoredFile, duration: int | None = None) -> dict[str, Any]:
    """The Voice, Document, Video, Audio or Animation object for a stored file."""
    body: dict[str, Any] = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                            "file_size": len(stored.data), "mime_type": stored.mime_type}
    if kind in ("document", "video", "audio", "animation") and stored.file_name:
        body["file_name"] = stored.file_name
    if kind in ("voice", "video", "audio", "animation"):
        body["duration"] = duration if duration is not None else (ogg_duration(stored.data) if kind == "voice" else 1)
    if kind in ("video", "animation"):
        body.update(width=640, height=480)
    return body
