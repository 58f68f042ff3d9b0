"""Taking access back: deactivating people, revoking invites, and a new register removing homes."""
from __future__ import annotations

from tests.unit.bot.conftest import OWNER, PLUMBER, STAFF, OfflineBot

ADMIN, OTHER_STAFF = 9001, 3002


def person(offline: OfflineBot, chat_id: int):  # type: ignore[no-untyped-def]
    return next(p for p in offline.store.people.values() if p.chat_id == chat_id)


async def test_a_deactivated_technician_is_told_can_do_nothing_and_their_open_jobs_are_listed(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了")
    await offline.say(PLUMBER, "/claim 1")
    done = offline.to(STAFF, await offline.say(STAFF, f"/deactivate {PLUMBER}"))[-1]
    assert "张师傅" in done.text and "#1" in done.text
    told = offline.to(PLUMBER, await offline.say(PLUMBER, "/jobs"))[-1]
    assert "停用" in told.text and not person(offline, PLUMBER).active
    await offline.say(STAFF, "/activate 张师傅")
    assert person(offline, PLUMBER).active
    assert "停用" not in offline.to(PLUMBER, await offline.say(PLUMBER, "/jobs"))[-1].text


async def test_only_staff_deactivate_and_only_administrators_deactivate_staff(offline: OfflineBot) -> None:
    await offline.say(OWNER, f"/deactivate {PLUMBER}")
    assert person(offline, PLUMBER).active
    refused = offline.to(STAFF, await offline.say(STAFF, f"/deactivate {OTHER_STAFF}"))[-1]
    assert "权限" in refused.text and person(offline, OTHER_STAFF).active
    await offline.say(ADMIN, f"/deactivate {OTHER_STAFF}")
    assert not person(offline, OTHER_STAFF).active


async def test_a_revoked_invite_registers_nobody(offline: OfflineBot) -> None:
    created = offline.to(STAFF, await offline.say(STAFF, "/invite owner 5-1-302 林先生"))[-1]
    code = created.text.split("start=")[1].split()[0]
    assert "作废" in offline.to(STAFF, await offline.say(STAFF, f"/revoke {code}"))[-1].text
    refused = offline.to(7400, await offline.say(7400, f"/start {code}"))[-1]
    assert "作废" in refused.text and not any(p.chat_id == 7400 for p in offline.store.people.values())


async def test_a_new_register_without_an_owner_removes_their_home_tells_them_and_says_so(offline: OfflineBot) -> None:
    await offline.send(offline.updates.contact(7100, "13800000004"))  # 张伟 of 1-1-101 registers by phone
    assert [h.short() for h in person(offline, 7100).homes] == ["1-1-101"]
    from app.demo import REGISTER_ONLY

    rows = [f"{h.building},{h.unit or ''},{h.room},{name},{phone}" for name, phone, h in REGISTER_ONLY if name != "张伟"]
    offline.request.files["register-2"] = ("楼栋,单元,房号,姓名,电话\n" + "\n".join(rows) + "\n").encode("utf-8")
    sent = await offline.send(offline.updates.document(STAFF, "register-2", "owners.csv", 60))
    report = offline.to(STAFF, sent)[-1]
    assert "1 位业主" in report.text and "张伟" in report.text
    assert "1-1-101" in offline.to(7100, sent)[-1].text
    assert person(offline, 7100).homes == []


async def test_a_removed_home_named_with_markup_reaches_its_owner_escaped(offline: OfflineBot) -> None:
    def register(file_id: str, rows: str) -> dict:  # type: ignore[type-arg]
        offline.request.files[file_id] = ("楼栋,单元,房号,姓名,电话\n" + rows).encode("utf-8")
        return offline.updates.document(STAFF, file_id, "owners.csv", 60)

    await offline.send(register("register-1", "B,,<b>1208,王五,13900000001\n"))
    await offline.send(offline.updates.contact(7100, "13900000001"))
    sent = await offline.send(register("register-2", "3,2,1801,李四,13900000002\n"))
    (told,) = offline.to(7100, sent)
    assert told.params.get("parse_mode") == "HTML" and "B-&lt;B&gt;1208" in told.text  # pushes are HTML
