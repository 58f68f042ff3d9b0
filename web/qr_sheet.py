"""A printable PDF of invite QR codes for a building: one A5 page per home, labelled in large type, zh and en."""
from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display: a PDF only
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from PIL import Image  # noqa: E402

from reports.fonts import cjk_font  # noqa: E402
from web.qr import qr_png  # noqa: E402

A5 = (5.83, 8.27)  # inches, portrait: one sheet per door, or two per A4 cut in half


@dataclass(frozen=True)
class QrLabel:
    url: str
    estate: str  # 阳光花园 Sunrise Gardens
    place: str  # 3号楼 2单元 1801
    action: str  # 扫码报修 / Scan to report a repair
    expires: str  # 有效期至 … / valid until …


def qr_pdf(labels: list[QrLabel]) -> bytes:
    out = io.BytesIO()
    with plt.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}), PdfPages(out) as pdf:
        for label in labels:
            figure = page(label)
            pdf.savefig(figure)
            plt.close(figure)
        pdf.infodict()["Title"] = labels[0].estate if labels else "QR"
    return out.getvalue()


def page(label: QrLabel) -> plt.Figure:
    """One home's sheet: the estate, the door in large type, the code, what to do, until when."""
    figure = plt.figure(figsize=A5)
    figure.text(0.5, 0.95, label.estate, ha="center", va="top", fontsize=18)
    figure.text(0.5, 0.89, label.place, ha="center", va="top", fontsize=30, fontweight="bold")
    side = 0.8
    axes = figure.add_axes((0.1, 0.2, side, side * A5[0] / A5[1]))
    axes.imshow(Image.open(io.BytesIO(qr_png(label.url, box_size=12))).convert("L"), cmap="gray",
                interpolation="nearest")
    axes.set_axis_off()
    figure.text(0.5, 0.17, label.action, ha="center", va="top", fontsize=20)
    figure.text(0.5, 0.08, label.expires, ha="center", va="top", fontsize=10, color="#444")
    return figure
