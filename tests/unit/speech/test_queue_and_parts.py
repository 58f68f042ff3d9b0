"""The transcription queue bounds work and waiting; the model parts join once, whole, into a cached folder."""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from speech import model_parts, simplified, without_loops
from speech.hints import prompts
from speech.queue import Busy, TooSlow, VoiceQueue


class Slow:
    def __init__(self, seconds: float) -> None:
        self.seconds, self.deadlines = seconds, []  # type: ignore[var-annotated]

    def transcribe(self, audio: bytes, language: str | None = None, deadline: float | None = None) -> str:
        self.deadlines.append(deadline)
        time.sleep(self.seconds)
        return f"{language}:{len(audio)}"


async def test_a_note_is_transcribed_in_the_queues_own_thread_with_a_deadline() -> None:
    slow = Slow(0.01)
    queue = VoiceQueue(slow, timeout=5)
    assert await queue.transcribe(b"abc", "zh") == "zh:3"
    assert slow.deadlines[0] is not None and slow.deadlines[0] > time.monotonic()
    queue.close()


async def test_notes_beyond_the_workers_and_the_waiting_places_are_refused_at_once() -> None:
    queue = VoiceQueue(Slow(0.3), workers=1, waiting=1, timeout=5)
    first, second = (asyncio.create_task(queue.transcribe(b"x", "en")) for _ in range(2))
    await asyncio.sleep(0.05)
    with pytest.raises(Busy):
        await queue.transcribe(b"x", "en")
    assert await first == "en:1" and await second == "en:1"
    queue.close()


async def test_a_transcription_past_its_limit_gives_up_waiting() -> None:
    queue = VoiceQueue(Slow(0.5), timeout=0.0, grace=0.05)
    with pytest.raises(TooSlow):
        await queue.transcribe(b"x", "en")
    queue.close()


def test_traditional_characters_are_written_simplified() -> None:
    assert simplified("廚房水管漏水，啟動") == "厨房水管漏水，启动"


def test_a_phrase_repeated_by_a_decoding_loop_is_kept_once_and_room_numbers_are_not_touched() -> None:
    assert without_loops("Hi my my my my my my my my") == "Hi my"
    assert without_loops("气动而含书。含书。含书。含书。含书。含书。") == "气动而含书。"
    assert without_loops("3栋2单元1000室") == "3栋2单元1000室"


def test_prompts_name_the_estate_in_each_language_and_no_bare_numbers() -> None:
    hints = prompts(["1号楼", "B座", "12"], "阳光花园 Sunrise Gardens")
    assert hints["zh"].startswith("阳光花园，1号楼，B座。") and "单元" in hints["zh"]
    assert hints["en"].startswith("Sunrise Gardens. ") and "12" not in hints["en"]
    assert "1号楼" not in prompts(["1号楼"], "", with_names=False)["zh"]


def test_a_language_asked_for_a_sentence_is_prompted_with_one_sentence_naming_no_real_building() -> None:
    hints = prompts(["1号楼", "B座"], "阳光花园 Sunrise Gardens", sentence=["zh"])
    assert hints["zh"].count("。") == 1 and "13号楼" in hints["zh"] and "、" not in hints["zh"]
    assert hints["en"].startswith("Sunrise Gardens. ")  # English keeps the word list unless asked too


@pytest.fixture
def two_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Two fake part packages: part 1 with the side files, each with half of a 'model.bin'."""
    names = ("fake_model_part1", "fake_model_part2")
    for i, name in enumerate(names, start=1):
        data = tmp_path / "site" / name / "data"
        data.mkdir(parents=True)
        (data.parent / "__init__.py").write_text("")
        (data / f"model.bin.part{i}").write_bytes(bytes([i]) * 1000)
        if i == 1:
            for side in model_parts.SIDE_FILES:
                (data / side).write_text(side)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    return names


def test_the_parts_are_joined_once_and_a_second_run_leaves_the_folder_alone(tmp_path: Path,
                                                                            two_parts: tuple[str, str]) -> None:
    folder = tmp_path / "models" / "base"
    model_parts.join(folder, two_parts, expected_bytes=2000)
    joined = (folder / "model.bin").read_bytes()
    assert joined == b"\x01" * 1000 + b"\x02" * 1000 and (folder / "config.json").exists()
    assert model_parts.is_joined(folder, two_parts)
    before = (folder / "model.bin").stat().st_mtime_ns
    model_parts.join(folder, two_parts, expected_bytes=2000)
    assert (folder / "model.bin").stat().st_mtime_ns == before
    assert json.loads((folder / model_parts.MANIFEST).read_text())["bytes"] == 2000


def test_a_damaged_part_leaves_no_model_behind(tmp_path: Path, two_parts: tuple[str, str]) -> None:
    folder = tmp_path / "models" / "base"
    with pytest.raises(ValueError, match="damaged"):
        model_parts.join(folder, two_parts, expected_bytes=2001)
    assert not (folder / "model.bin").exists() and not (folder / "model.bin.partial").exists()
