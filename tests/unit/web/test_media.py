"""Photos from phones are made JPEG, upright, at most 2560 px; what is not a picture is refused."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from web.media import MediaError, photo_as_jpeg


def _encoded(fmt: str, size: tuple[int, int] = (320, 240), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 60)).save(out, format=fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "HEIF"])
async def test_a_phone_photo_in_any_common_format_becomes_a_jpeg_of_the_same_size(fmt: str) -> None:
    jpeg, width, height = await photo_as_jpeg(_encoded(fmt))
    assert jpeg[:2] == b"\xff\xd8" and (width, height) == (320, 240)


async def test_a_huge_photo_is_scaled_down_to_what_telegram_keeps() -> None:
    _, width, height = await photo_as_jpeg(_encoded("PNG", (5000, 2500)))
    assert (width, height) == (2560, 1280)


async def test_a_photo_taken_sideways_is_stood_upright_from_its_exif() -> None:
    image = Image.new("RGB", (400, 200))
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    _, width, height = await photo_as_jpeg(out.getvalue())
    assert (width, height) == (200, 400)


@pytest.mark.parametrize("data", [b"", b"not an image", b"<svg onload=alert(1)>", b"\xff\xd8\xff\xe0garbage"])
async def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(MediaError):
        await photo_as_jpeg(data)
