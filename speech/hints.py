"""The words a voice note is likely to hold, as a decoding prompt: the estate's names and the repair vocabulary."""
from __future__ import annotations

import re
from typing import Iterable

# Words residents use in reports, in the written form the NLU reads best. No house numbers of our own:
# a trial prompt with "3栋2单元" in it made the model write 3栋 into a note that never said it.
VOCABULARY = {
    "zh": "报修：号楼、栋、单元、室、厨房、卫生间、阳台、客厅、卧室、水管漏水、下水道堵了、马桶、热水器、"
          "空调不制冷、暖气、停电、跳闸、插座、灯不亮、燃气、门锁、窗户、电梯、楼道、车库、墙面渗水。",
    "en": "Repair request: building, block, unit, flat, kitchen, bathroom, balcony, bedroom, leaking pipe, "
          "blocked drain, toilet, water heater, air conditioner, heating, power cut, socket, light, gas, "
          "door lock, window, lift, elevator, stairwell, car park.",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def prompts(building_names: Iterable[str] = (), estate_name: str = "", with_names: bool = True) -> dict[str, str]:
    """One prompt per language: the estate's own names in that language's script (if asked), then the words."""
    names = list(building_names) if with_names else []
    estate = {"zh": "".join(w for w in estate_name.split() if _CJK.search(w)),
              "en": " ".join(w for w in estate_name.split() if not _CJK.search(w))}
    lead = {"zh": "，".join(filter(None, [estate["zh"], *(n for n in names if _CJK.search(n))])) + "。",
            "en": ", ".join(filter(None, [estate["en"], *(n for n in names if not _CJK.search(n) and not n.isdigit())]))
            + ". "}
    return {lang: (lead[lang] if len(lead[lang]) > 2 else "") + text for lang, text in VOCABULARY.items()}
