"""Uploads from the page made into what Telegram clients send: a JPEG photo, an OGG/Opus voice note."""
from __future__ import annotations

import asyncio
import io

from PIL import Image, ImageOps, UnidentifiedImageError

from sandbox.audio import AudioError, to_voice_note

LONGEST_SIDE = 2560  # what Telegram keeps of a photo, about
MAX_PIXELS = 50_000_000  # a decompression bomb is refused, not decoded
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

try:  # iPhones take HEIC; Safari usually sends JPEG, but a photo picked from Files may stay HEIC
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # without it a HEIC photo is refused politely (web.err.bad_photo)
    pass


class MediaError(ValueError):
    """Not a picture (or not a recording) we can open."""


def _to_jpeg(data: bytes) -> tuple[bytes, int, int]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise MediaError("too many pixels")
            picture = ImageOps.exif_transpose(image).convert("RGB")  # phones store rotation in EXIF
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as error:
        raise MediaError(str(error)) from error
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue(), picture.width, picture.height


async def photo_as_jpeg(data: bytes) -> tuple[bytes, int, int]:
    """JPEG bytes, width and height (off the event loop: decoding a 12 MP photo takes a while)."""
    return await asyncio.to_thread(_to_jpeg, data)


async def recording_as_voice(data: bytes, file_name: str | None) -> tuple[bytes, int]:
    """MediaRecorder's webm/ogg/mp4 -> OGG/Opus and whole seconds, by the sandbox's ffmpeg conversion."""
    try:
        return await to_voice_note(data, file_name)
    except AudioError as error:
        raise MediaError(str(error)) from error
