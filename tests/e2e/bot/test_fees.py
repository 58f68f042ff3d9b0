"""Fees end to end through the sandbox: a priced ticket, a dispute adjusted, a free common area, low stock, invoices."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import AsyncIterator

import pytest

from app.config import Config
from domain.billing.ledger import Entry
from sandbox import SandboxServer
from sandbox.client import SandboxClient, SandboxMessage
from tests.e2e.bot.conftest import STAFF_GROUP, BotUnderTest
from tests.e2e.bot.helpers import say, ticket_number, with_button

STAFF = 3001
PROVIDER_TOKEN = "284685063:TEST:sandbox-provider"


async def _working(tg: SandboxClient, owner: int, tech: int, report: str) -> int:
    """Reported, claimed and begun: the ticket is 维修中 and waits for /done."""
    after = await tg.last_message_id(owner)
    await tg.send_text(owner, report)
    summary = await with_button(tg, owner, "r:submit", after)
    ticket = ticket_number((await _press(tg, owner, summary, "r:submit", "#")).text)
    job = await with_button(tg, tech, f"t:claim:{ticket}")
    await _press(tg, tech, job, f"t:claim:{ticket}", f"#{ticket}")
    await say(tg, tech, f"/begin #{ticket}", f"#{ticket}", "共享位置")
    return ticket


async def _press(tg: SandboxClient, user: int, message: SandboxMessage, data: str, *needles: str,
                 button: str | None = None) -> SandboxMessage:
    """Tap the button with exactly `data`; the next reply with the needles (and a button starting `button`)."""
    after = await tg.last_message_id(user)
    result = await tg.click(user, message, data)
    assert result.answered, f"no answer to {data}"
    return await tg.wait_for_message(user, lambda m: m.contains(*needles) and (
        button is None or any(b["callback_data"].startswith(button) for b in m.buttons)), after_id=after)


async def _type(tg: SandboxClient, user: int, text: str, button: str) -> SandboxMessage:
    """Type `text`; the next reply carrying a button that starts with `button`."""
    after = await tg.last_message_id(user)
    await tg.send_text(user, text)
    return await with_button(tg, user, button, after)


async def _done_with_parts(tg: SandboxClient, tech: int, ticket: int, notes: str, parts: list[tuple[str, int]],
                           minutes: int | None, search: str | None = None) -> None:
    """/done through the form: each part picked by button (after a typed search when given), its quantity, minutes."""
    prompt = await _type(tg, tech, f"/done {ticket} {notes}", "d:skip:parts")
    for code, qty in parts:
        if search:
            prompt = await _type(tg, tech, search, f"d:part:{code}")
        asked = await _press(tg, tech, prompt, f"d:part:{code}", button="d:qty:")
        prompt = await _press(tg, tech, asked, f"d:qty:{qty}", button="d:skip:parts")
    asked = await _press(tg, tech, prompt, "d:skip:parts", button="d:skip:minutes")
    if minutes is None:
        asked = await _press(tg, tech, asked, "d:skip:minutes", button="d:skip:photos")
    else:
        asked = await _type(tg, tech, str(minutes), "d:skip:photos")
    await _press(tg, tech, asked, "d:skip:photos", f"#{ticket}")


async def test_a_priced_ticket_shows_the_itemized_bill_the_owner_approves_and_staff_record_paid_at_the_office(
        tg: SandboxClient) -> None:
    ticket = await _working(tg, 1001, 2001, "3栋2单元1801厨房水管漏水了")
    await _done_with_parts(tg, 2001, ticket, "更换了角阀和软管", [("VALVE15", 2), ("HOSE60", 1)], 45)

    bill = await with_button(tg, 1001, f"t:confirm:{ticket}", 0, "角阀 2 个 × 单价 25.00 元 = 50.00 元")
    assert bill.contains("进水软管 60cm 1 根", "上门费 = 30.00 元", "工时 45 分钟（80.00 元/小时）= 60.00 元",
                         "合计：158.50 元", "支付方：业主")
    assert any(b["callback_data"].startswith(f"b:dispute:{ticket}:1") for b in bill.buttons)
    await _press(tg, 1001, bill, f"t:confirm:{ticket}", f"#{ticket}")
    await tg.wait_for_text(None, f"#{ticket}", "158.50", chat_id=STAFF_GROUP)

    await say(tg, STAFF, f"/paid {ticket}", f"#{ticket}")
    await tg.wait_for_text(1001, f"#{ticket}", "158.50 元", "谢谢")
    shown = await say(tg, STAFF, f"/bill {ticket}", f"#{ticket}", "已付款")
    assert "158.50" in shown.text


async def test_a_disputed_bill_is_adjusted_by_staff_with_a_reason_and_the_owner_approves_the_new_version(
        tg: SandboxClient) -> None:
    ticket = await _working(tg, 1002, 2003, "The kitchen tap in B-1208 is dripping")
    await _done_with_parts(tg, 2003, ticket, "Replaced the valve", [("VALVE15", 2)], None, search="角阀")

    bill = await with_button(tg, 1002, f"b:dispute:{ticket}:1", 0, "angle valve", "¥80.00")
    await _press(tg, 1002, bill, f"b:dispute:{ticket}:1", "")
    await say(tg, 1002, "Only one valve was replaced", f"#{ticket}")
    await tg.wait_for_text(None, f"#{ticket}", "Only one valve was replaced", chat_id=STAFF_GROUP)

    await say(tg, STAFF, f"/adjust {ticket} VALVE15=1 只换了一个角阀", f"#{ticket}")
    adjusted = await with_button(tg, 1002, f"t:confirm:{ticket}", bill.message_id, "version 2", "¥55.00",
                                 "只换了一个角阀")
    await _press(tg, 1002, adjusted, f"t:confirm:{ticket}", f"#{ticket}")
    await tg.wait_for_text(None, f"#{ticket}", "55.00", chat_id=STAFF_GROUP)

    both = await say(tg, STAFF, f"/bill {ticket}", f"#{ticket}", "第 2 版")
    assert "第 1 版" in both.text and "80.00 元" in both.text and "55.00 元" in both.text
    assert "调整原因：只换了一个角阀" in both.text and "业主已确认" in both.text


async def test_a_common_area_ticket_is_billed_to_the_estate_and_the_owner_is_told_it_is_free_and_why(
        tg: SandboxClient) -> None:
    ticket = await _working(tg, 1001, 2001, "3栋2单元楼道的灯坏了，一直不亮")
    await _done_with_parts(tg, 2001, ticket, "换了灯泡", [("LEDBULB", 1)], 20)

    free = await with_button(tg, 1001, f"t:confirm:{ticket}", 0, "支付方：物业")
    assert free.contains("公共区域维修，不向业主收费", "您需支付：0.00 元", "本次不向您收费", "LED 灯泡 9W")
    assert not any(b["callback_data"].startswith("b:dispute") for b in free.buttons)
    await _press(tg, 1001, free, f"t:confirm:{ticket}", f"#{ticket}")
    answer = await say(tg, STAFF, f"/paid {ticket}", f"#{ticket}")
    assert "公共区域" in answer.text  # nothing to record: the owner owes nothing


async def test_staff_are_alerted_when_a_done_job_draws_a_part_down_to_its_alert_level(tg: SandboxClient) -> None:
    ticket = await _working(tg, 1001, 2001, "3栋2单元1801卫生间下水堵了")
    after = await tg.last_message_id(chat_id=STAFF_GROUP)
    await _done_with_parts(tg, 2001, ticket, "换了存水弯", [("TRAP", 2)], None)  # 5 on the shelf, alert at 3

    alert = await tg.wait_for_text(None, "库存预警", "TRAP", chat_id=STAFF_GROUP, after_id=after)
    assert "只剩 3 个" in alert.content and "预警线 3" in alert.content
    stock = await say(tg, STAFF, "/stock", "TRAP")
    assert "⚠️" in next(line for line in stock.content.splitlines() if "TRAP" in line)


# --- Telegram invoices, with a payment provider token configured ---

@pytest.fixture
async def paying_bot(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    def with_token(config: Config) -> Config:
        billing = config.billing.model_copy(update={"payment_provider_token": PROVIDER_TOKEN})
        return config.model_copy(update={"billing": billing})

    running = BotUnderTest(f"sqlite:///{tmp_path}/e2e.db", sandbox, configure=with_token)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def paying(sandbox: SandboxServer, paying_bot: BotUnderTest) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.url, timeout=10) as client:
        yield client


async def test_an_approved_bill_gets_a_telegram_invoice_whose_payment_marks_it_paid_once_and_tells_staff(
        paying: SandboxClient, paying_bot: BotUnderTest) -> None:
    tg = paying
    ticket = await _working(tg, 1001, 2001, "3栋2单元1801厨房水管漏水了")
    await _done_with_parts(tg, 2001, ticket, "更换了角阀", [("VALVE15", 1)], None)
    bill = await with_button(tg, 1001, f"t:confirm:{ticket}", 0, "合计：55.00 元")
    await _press(tg, 1001, bill, f"t:confirm:{ticket}", f"#{ticket}")

    invoice = await tg.wait_for_message(1001, lambda m: m.invoice is not None, after_id=bill.message_id)
    assert invoice.invoice == {"title": f"工单 #{ticket} 维修费用", "currency": "CNY", "total_amount": 5500,
                               "start_parameter": "", "description": invoice.invoice["description"]}
    assert "55.00 元" in invoice.invoice["description"]
    await tg.wait_for_text(None, f"#{ticket}", "55.00", "付款单", chat_id=STAFF_GROUP)  # not "pay at the office"
    unpaid = await say(tg, 1001, f"/bill {ticket}", f"#{ticket}", "状态")
    assert "在聊天里直接支付" in unpaid.text and "到物业服务中心付款" in unpaid.text

    forged = await tg.pay(1001, invoice, total_amount=100)  # a tampered client asks to pay ¥1
    assert not forged.ok and forged.payment is None and "不符" in (forged.error_message or "")
    paid = await tg.pay(1001, invoice, deliveries=2)  # Telegram repeats the payment's update
    assert paid.ok and paid.payment is not None
    charge = paid.payment["successful_payment"]["telegram_payment_charge_id"]

    thanks = await tg.wait_for_text(1001, f"#{ticket}", "55.00 元", "已结清", after_id=invoice.message_id)
    await tg.wait_for_text(None, f"#{ticket}", "Telegram", charge, chat_id=STAFF_GROUP)
    await asyncio.sleep(1.0)  # time for the repeated update to be handled (and change nothing)
    later = await tg.messages(1001, after_id=invoice.message_id)
    assert [m.message_id for m in later if "已结清" in m.content] == [thanks.message_id]
    assert not any("出了点问题" in m.content for m in later)  # the repeat was no error either
    with paying_bot.application.bot_data["services"].uow() as uow:
        pays = [e for e in uow.ledger.for_ticket(ticket) if e.kind is Entry.PAY]
    assert [(e.amount_fen, e.method, e.charge_id) for e in pays] == [(5500, "telegram", charge)]

    again = await say(tg, STAFF, f"/bill {ticket}", f"#{ticket}", "已付款")
    assert "55.00" in again.text
    late = await tg.pay(1001, await _invoice_copy(tg, paying_bot, ticket, 1001))
    assert not late.ok and "已经付过" in (late.error_message or "")


async def _invoice_copy(tg: SandboxClient, bot: BotUnderTest, ticket: int, owner: int) -> SandboxMessage:
    """A second invoice for the same bill, as if an old one had been kept: sent straight through the Bot API."""
    from telegram import LabeledPrice

    await bot.application.bot.send_invoice(owner, f"#{ticket}", "again", f"bill:{ticket}:1", "CNY",
                                           [LabeledPrice("fees", 5500)], provider_token=PROVIDER_TOKEN)
    return await tg.wait_for_message(owner, lambda m: m.invoice is not None and m.invoice["title"] == f"#{ticket}")
