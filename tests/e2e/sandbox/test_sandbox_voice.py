"""Voice notes from the sandbox page in headless Chromium: an uploaded audio file, and the 🎤 recorder."""
from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from telegram.ext import Application

from sandbox import SandboxServer
from tests.e2e.sandbox.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.sandbox.test_sandbox_page import open_persona

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]
FAKE_MICROPHONE = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


def tone(tmp_path: Path, extension: str, seconds: float) -> bytes:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is missing; `make setup` installs it")
    out = tmp_path / f"tone.{extension}"
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", str(out)], check=True, timeout=60)
    return out.read_bytes()


@pytest.mark.parametrize("extension, mime", [("wav", "audio/wav"), ("mp3", "audio/mpeg")])
async def test_an_audio_file_uploaded_on_the_page_is_sent_as_a_voice_note(
        page: Page, echo_bot: Application, tmp_path: Path, extension: str, mime: str) -> None:
    column = await open_persona(page, 1001)
    await column.locator(".file-input").set_input_files(
        files=[{"name": f"leak.{extension}", "mimeType": mime, "buffer": tone(tmp_path, extension, 3.0)}])
    await expect(column.get_by_test_id("bot-message").filter(has_text="voice 3s audio/ogg")).to_be_visible()
    await expect(column.get_by_test_id("user-message").locator("audio")).to_have_count(1)


async def test_without_a_microphone_the_button_explains_and_offers_the_upload(
        page: Page, echo_bot: Application, tmp_path: Path) -> None:
    column = await open_persona(page, 1002)
    await column.get_by_test_id("mic-button").click()
    help_box = column.get_by_test_id("mic-help")
    await expect(help_box).to_be_visible()
    assert await help_box.get_attribute("data-reason") in ("permission", "device")
    await expect(help_box).to_contain_text("上传")
    await help_box.locator(".voice-input").set_input_files(
        files=[{"name": "note.webm", "mimeType": "video/webm", "buffer": tone(tmp_path, "webm", 2.0)}])
    await expect(column.get_by_test_id("bot-message").filter(has_text="voice 2s audio/ogg")).to_be_visible()
    await expect(help_box).to_be_hidden()


async def test_a_note_recorded_with_the_microphone_button_is_sent_as_a_voice_note(
        sandbox: SandboxServer, echo_bot: Application) -> None:
    """Chromium's fake microphone (a beep) stands in for a person; tap to start, tap to send."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser: Browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + FAKE_MICROPHONE)
        try:
            page = await browser.new_page()
            await page.goto(sandbox.url + "/")
            column = await open_persona(page, 1003)
            mic = column.get_by_test_id("mic-button")
            await mic.click()
            await expect(column.get_by_test_id("rec-state")).to_contain_text("录音")
            await asyncio.sleep(2.5)
            await mic.click()
            reply = column.get_by_test_id("bot-message").filter(has_text="audio/ogg")
            await expect(reply).to_be_visible(timeout=15_000)
            seconds = int((await reply.inner_text()).split("voice ", 1)[1].split("s", 1)[0])
            assert 2 <= seconds <= 4
            await expect(column.get_by_test_id("mic-help")).to_be_hidden()
        finally:
            await browser.close()
