"""The CJK font the charts draw with, found through matplotlib's font manager; no font means a clear error, not boxes."""
from __future__ import annotations

from functools import lru_cache

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

PROBE = "报修统计已完成楼栋"  # glyphs every chart needs
PREFERRED = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Noto Sans CJK JP")
INSTALL = "install a CJK font, e.g. `apt-get install fonts-noto-cjk` (setup does this: mk/sandbox.mk)"


class MissingCjkFont(RuntimeError):
    """No installed font has Chinese glyphs: charts would show boxes, so none are drawn."""


def covers(path: str, text: str = PROBE) -> bool:
    try:
        face = FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(face.get_char_index(ord(ch)) for ch in text)


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The family name of an installed font with the glyphs in PROBE, preferred ones first."""
    try:
        return _cjk_font(font_manager.fontManager.ttflist)
    except MissingCjkFont:
        # matplotlib caches its font list on first use; one built before setup installed the CJK fonts never
        # sees them. Look once more on a fresh scan of the system's fonts (which also rewrites that cache).
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        return _cjk_font(font_manager.fontManager.ttflist)


def _cjk_font(fonts: list[font_manager.FontEntry]) -> str:
    ranked = sorted(fonts, key=lambda f: (PREFERRED.index(f.name) if f.name in PREFERRED else len(PREFERRED),
                                          f.weight != 400 and f.weight != "normal"))
    for font in ranked:
        if ("CJK" in font.name or font.name in PREFERRED or "Hei" in font.name) and covers(font.fname):
            return font.name
    raise MissingCjkFont(f"no installed font has Chinese glyphs ({len(fonts)} fonts looked at): {INSTALL}")
