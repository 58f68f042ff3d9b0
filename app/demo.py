"""Demo data: owners, technicians and staff with the fixed chat ids the sandbox personas use."""
from __future__ import annotations

from domain.estate import Estate
from domain.people import ALL_ZONES, Person, Role, StaffRole
from domain.ports import UnitOfWork
from domain.registration import RegisterEntry
from domain.values import Category as C, Language, Location

ZH, EN = Language.ZH, Language.EN
NUMBERED = [str(i) for i in range(1, 13)]

# (chat id, name, language, home) for the three owners who can chat in the sandbox.
CHAT_OWNERS = [
    (1001, "王伟", ZH, Location("3", "2", "1801")),
    (1002, "Emily Carter", EN, Location("B", None, "1208")),
    (1003, "李芳", ZH, Location("7", "1", "903")),
]
# Owners who are in the register but have not registered in chat yet.
REGISTER_ONLY = [
    ("张伟", "13800000004", Location("1", "1", "101")), ("刘洋", "13800000005", Location("1", "2", "502")),
    ("陈静", "13800000006", Location("2", "1", "1203")), ("杨磊", "13800000007", Location("2", "2", "704")),
    ("赵敏", "13800000008", Location("4", "1", "1501")), ("黄勇", "13800000009", Location("4", "2", "302")),
    ("周婷", "13800000010", Location("5", "1", "2201")), ("吴军", "13800000011", Location("5", "2", "808")),
    ("徐丽", "13800000012", Location("6", "1", "1102")), ("孙浩", "13800000013", Location("6", "2", "403")),
    ("马超", "13800000014", Location("8", "1", "1606")), ("朱琳", "13800000015", Location("8", "2", "201")),
    ("胡斌", "13800000016", Location("9", "2", "402")), ("郭佳", "13800000017", Location("10", "1", "1003")),
    ("林涛", "13800000018", Location("11", "2", "1701")), ("David Chen", "13800000019", Location("12", "1", "605")),
    ("Sarah Wong", "13800000020", Location("B", None, "0803")),
]
# Technicians; those without a chat id are on the books but have not joined the chat yet.
TECHNICIANS = [
    (2001, "张师傅", ZH, {C.PLUMBING, C.ELECTRICAL}, {"1", "2", "3", "4", "5", "6"}),
    (2002, "刘师傅", ZH, {C.HVAC, C.ELEVATOR}, {ALL_ZONES}),
    (2003, "陈师傅", ZH, {C.PLUMBING, C.CIVIL}, {*NUMBERED[6:], "B"}),
    (None, "周师傅", ZH, {C.DOORS_WINDOWS, C.ACCESS_SECURITY}, {ALL_ZONES}),
    (None, "Mike Zhou", EN, {C.FIRE_SAFETY, C.GAS, C.ELECTRICAL}, {ALL_ZONES}),
    (None, "吴师傅", ZH, {C.CIVIL, C.OTHER, C.DOORS_WINDOWS, C.PLUMBING}, {ALL_ZONES}),
]
STAFF = [(3001, "赵敏", ZH, StaffRole.DISPATCHER), (3002, "孙强", ZH, StaffRole.MANAGER)]


def seed_demo(uow: UnitOfWork, estate: Estate) -> bool:
    """Seed once: only when no person other than config admins exists. Returns whether it seeded."""
    with uow:
        if any(p.role is not Role.ADMIN for p in uow.people.find(estate_id=estate.id)):
            return False
        for chat_id, name, lang, home in CHAT_OWNERS:
            uow.people.add(Person(name, Role.OWNER, estate.id, chat_id=chat_id, language=lang,
                                  phone=f"1380000{chat_id:04d}", homes=[estate.check_home(home)]))
        for name, phone, home in REGISTER_ONLY:
            uow.people.add(Person(name, Role.OWNER, estate.id, phone=phone, homes=[estate.check_home(home)]))
        for chat_id, name, lang, skills, zones in TECHNICIANS:
            uow.people.add(Person(name, Role.TECHNICIAN, estate.id, chat_id=chat_id, language=lang,
                                  skills=frozenset(skills), zones=frozenset(zones)))
        for chat_id, name, lang, staff_role in STAFF:
            uow.people.add(Person(name, Role.STAFF, estate.id, chat_id=chat_id, language=lang, staff_role=staff_role))
        uow.register.replace_all(estate.id, [RegisterEntry(estate.check_home(h), n, p) for n, p, h in REGISTER_ONLY])
        uow.commit()
        return True
