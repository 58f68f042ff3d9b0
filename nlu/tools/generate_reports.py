"""Write nlu/data/train/reports_{zh,en}.yml: hand-written problems combined with location and urgency forms.

Deterministic (fixed seed). Run: .venv/bin/python -m nlu.tools.generate_reports
The held-out split in nlu/data/test/ is written separately by hand and never generated from this.
"""
from __future__ import annotations

import random
from pathlib import Path

from nlu.tools.report_phrases import EN, ZH

OUT = Path(__file__).resolve().parents[1] / "data" / "train"
CN = "零一二三四五六七八九"
EN_DIGIT = ["oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
EN_SMALL = {10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen", 16: "sixteen",
            17: "seventeen", 18: "eighteen", 19: "nineteen", 20: "twenty", 21: "twenty one", 22: "twenty two"}


def cn_positional(n: int) -> str:
    if n < 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


def cn_digits(room: str) -> str:
    return "".join(CN[int(c)] for c in room)


def en_words(n: int) -> str:
    return EN_DIGIT[n] if n < 10 else EN_SMALL[n]


def en_room(room: str) -> str:
    floor, flat = int(room[:-2]), room[-2:]
    return f"{en_words(floor) if floor < 10 else EN_SMALL.get(floor, str(floor))} {EN_DIGIT[int(flat[0])]} {EN_DIGIT[int(flat[1])]}"


def random_room(rng: random.Random) -> str:
    return f"{rng.randint(1, 22)}{rng.randint(1, 4):02d}"


def zh_location(rng: random.Random) -> str:
    b, u, r = str(rng.randint(1, 12)), str(rng.randint(1, 2)), random_room(rng)
    forms = [
        f"[{b}](building)号楼[{u}](unit)单元[{r}](room)", f"[{b}](building)栋[{r}](room)",
        f"[{b}](building)幢[{r}](room)室", f"[B](building)座[{r}](room)", f"[{b}](building)栋[{u}](unit)单元[{r}](room)室",
        f"[{cn_positional(int(b))}](building:{b})号楼[{CN[int(u)]}](unit:{u})单元[{cn_digits(r)}](room:{r})",
        f"[{cn_positional(int(b))}](building:{b})栋[{cn_digits(r)}](room:{r})", f"[{b}](building)-[{u}](unit)-[{r}](room)",
        f"[{b}](building)-[{r}](room)", f"我家[{r}](room)", f"[{r}](room)室", f"[{b}](building)号楼",
        f"[{b}](building)号楼[大堂](area)", f"[B2车库](area)", f"[北门](area)", f"[{b}](building)栋[楼道](area)",
        f"[{b}](building)栋[{r}](room)[厨房](area)", f"[{r}](room)[卫生间](area)", "", "", "",
    ]
    return rng.choice(forms)


def en_location(rng: random.Random) -> str:
    b, u, r = str(rng.randint(1, 12)), str(rng.randint(1, 2)), random_room(rng)
    forms = [
        f"Building [{b}](building) Flat [{r}](room)", f"Block [{b}](building), flat [{r}](room)",
        f"Tower [B](building) apt [{rng.randint(1, 22)}A](room)", f"Bldg [{b}](building) unit [{r}](room)",
        f"unit [{r}](room)", f"room [{r}](room)", f"flat [{r}](room)", f"[#{r}](room:{r})",
        f"block [{en_words(int(b))}](building:{b}) flat [{en_room(r)}](room:{r})",
        f"[{b}](building)-[{u}](unit)-[{r}](room)", f"[{b}](building)-[{r}](room)",
        f"building [{b}](building) unit [{u}](unit) room [{r}](room)", f"the [lobby](area) of block [{b}](building)",
        f"the [B2 car park](area)", f"the [north gate](area)", f"my [kitchen](area) in [{r}](room)",
        f"the [bathroom](area), flat [{r}](room)", f"Tower [{b}](building)", "", "", "",
    ]
    return rng.choice(forms)


ZH_URGENT = ["，[很急](urgency:urgent)", "，[麻烦尽快](urgency:urgent)", "[紧急](urgency:urgent)！", "，请[马上](urgency:urgent)派人",
             "，[急急急](urgency:urgent)", "，[赶紧](urgency:urgent)来看看"]
ZH_LOW = ["，[不急](urgency:low)", "，[有空](urgency:low)再来", "，[不着急](urgency:low)周末来也行", "，[方便的时候](urgency:low)来修一下"]
EN_URGENT = [", [urgent](urgency:urgent)", " [ASAP](urgency:urgent) please", ", [emergency](urgency:urgent)!",
             ", please [hurry](urgency:urgent)", ", need someone [right away](urgency:urgent)"]
EN_LOW = [", [no rush](urgency:low)", ", [whenever](urgency:low) you can", ", [not urgent](urgency:low)",
          ", fix it [when you have time](urgency:low)"]
ZH_FRAMES = ["{loc}{p}{m}", "你好，{loc}{p}{m}", "{p}{m}，地址是{loc}", "报修：{loc}，{p}{m}", "麻烦派个师傅，{loc}{p}{m}",
             "那个 嗯 {loc} 就是 {p} {m}", "{loc}{p}{m}{e}", "{loc} {p}了{m}", "师傅，{loc}{p}{m}"]
EN_FRAMES = ["{p}{m} in {loc}", "{loc}: {p}{m}", "Hi, {p} at {loc}{m}", "{p}{m}", "um so {loc} uh {p} {m}",
             "hello, {loc} here, {p}{m}{e}", "{p} ({loc}){m}", "please send someone, {p}, {loc}{m}"]
EMOJI = ["😭", "🙏", "😡", "!!!", "😩", "🆘", ""]


def sentence(rng: random.Random, problem: tuple, zh: bool) -> str:
    markup, implied = problem
    loc = zh_location(rng) if zh else en_location(rng)
    roll = rng.random()
    mod = ""
    if implied != "urgent" and roll < 0.25:
        mod = rng.choice(ZH_URGENT if zh else EN_URGENT)
    elif implied != "urgent" and roll < 0.4:
        mod = rng.choice(ZH_LOW if zh else EN_LOW)
    frame = rng.choice(ZH_FRAMES if zh else EN_FRAMES)
    if not loc:
        frame = "{p}{m}{e}"
    text = frame.format(loc=loc, p=markup, m=mod, e=rng.choice(EMOJI))
    return " ".join(text.split()).strip(" ，,")


def write(name: str, phrases: dict, zh: bool, per_phrase: int, seed: int) -> None:
    rng = random.Random(seed)
    lines = [f"# Generated by nlu/tools/generate_reports.py from nlu/tools/report_phrases.py; do not edit.",
             'version: "3.1"', "nlu:", "- intent: report_problem", "  examples: |"]
    seen = set()
    for problems in phrases.values():
        for problem in problems:
            for _ in range(per_phrase):
                text = sentence(rng, problem, zh)
                if text not in seen:
                    seen.add(text)
                    lines.append(f"    - {text}")
    (OUT / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write("reports_zh.yml", ZH, True, 3, seed=1)
    write("reports_en.yml", EN, False, 3, seed=2)
