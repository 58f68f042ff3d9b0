"""Staff send the owner register as a CSV file; every bad row is reported and nothing is half-imported."""
from __future__ import annotations

import csv
import io

from telegram import Update
from telegram.ext import ContextTypes

from bot.access import tell_owners_their_homes_went
from bot.common import Who, reply, who
from bot.misc import unsupported
from bot.services import services
from domain.registration import REGISTER_COLUMNS, ImportReport
from domain.usecases.registration import import_owner_register

MAX_BYTES = 2 * 1024 * 1024
MAX_FIELD = 200  # no name, phone or room is longer; the row then fails validation, not the database
# Column names as estate offices write them, in either language.
HEADERS = {"楼栋": "building", "楼号": "building", "楼": "building", "单元": "unit", "房号": "room", "房间": "room",
           "室": "room", "姓名": "name", "业主": "name", "电话": "phone", "手机": "phone", "手机号": "phone",
           **{c: c for c in REGISTER_COLUMNS}}


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A CSV from staff is the owner register; any other file gets the unsupported-type answer."""
    me = await who(update, context)
    document = update.effective_message.document  # type: ignore[union-attr]
    is_csv = bool(document and (document.file_name or "").lower().endswith(".csv"))
    if me.person is None or not me.person.is_staff or not is_csv:
        await unsupported(update, context)
        return
    svc = services(context)
    if (document.file_size or 0) > MAX_BYTES:  # type: ignore[union-attr]
        await reply(update, svc.t(me.language, "import.too_big"))
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())  # type: ignore[union-attr]
    rows = read_rows(data)
    if rows is None:
        await reply(update, svc.t(me.language, "import.bad_header", columns=", ".join(REGISTER_COLUMNS)))
        return
    report = await svc.run(import_owner_register, me.person.id, rows)
    await reply(update, describe(svc, me, report))
    await tell_owners_their_homes_went(context, report.removed)


def read_rows(data: bytes) -> list[dict[str, str]] | None:
    """Rows keyed by our column names; None when the header lacks a column. Excel's UTF-8 BOM and GBK are fine."""
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        return None
    try:
        reader = csv.reader(io.StringIO(text))
        header = [HEADERS.get(h.strip().lower(), HEADERS.get(h.strip(), "")) for h in next(reader, [])]
        if not {"building", "room", "name", "phone"} <= set(header):
            return None
        return [{header[i]: v[:MAX_FIELD] for i, v in enumerate(row) if i < len(header) and header[i]}
                for row in reader if any(row)]
    except csv.Error:  # a field past csv's size limit, a NUL byte: not a register we can read
        return None


def describe(svc: object, me: Who, report: ImportReport) -> str:
    t = svc.t  # type: ignore[attr-defined]
    if report.ok:
        done = t(me.language, "import.done", count=len(report.entries))
        if report.removed:
            lost = sum(len(homes) for _, homes in report.removed)
            done += "\n" + t(me.language, "import.removed", owners=len(report.removed), homes=lost,
                              names=", ".join(p.name for p, _ in report.removed[:20]))
        return done
    def problem(p: object) -> str:
        value = t(me.language, f"import.col.{p.value}") if p.code == "missing" else p.value  # type: ignore[attr-defined]
        return t(me.language, f"import.problem.{p.code}", value=value)  # type: ignore[attr-defined]

    lines = [t(me.language, "import.row", row=number, problems="; ".join(problem(p) for p in found))
             for number, found in report.problems[:30]]
    more = len(report.problems) - 30
    tail = "\n" + t(me.language, "import.more", count=more) if more > 0 else ""
    return t(me.language, "import.failed", count=len(report.problems)) + "\n" + "\n".join(lines) + tail
