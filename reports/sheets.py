"""The export as files: XLSX through openpyxl (write-only, streamed) and CSV in UTF-8 with a BOM for Excel."""
from __future__ import annotations

import csv
import io
from typing import IO, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from domain.export import Cell


def write_xlsx(out: IO[bytes], title: str, headers: list[str], rows: Iterable[list[Cell]]) -> int:
    """Every text cell is stored as text (never a formula), on top of the apostrophe domain.export adds."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    sheet.append([_header(sheet, h, bold) for h in headers])
    count = 0
    for row in rows:
        sheet.append([_text(sheet, v) if isinstance(v, str) else v for v in row])
        count += 1
    book.save(out)
    return count


def _header(sheet, text: str, font: Font) -> WriteOnlyCell:  # type: ignore[no-untyped-def]
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


def _text(sheet, value: str) -> WriteOnlyCell:  # type: ignore[no-untyped-def]
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would otherwise take a leading '=' as a formula
    return cell


def write_csv(out: IO[bytes], headers: list[str], rows: Iterable[list[Cell]]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        count += 1
    text.flush()
    text.detach()
    return count
