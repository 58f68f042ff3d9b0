"""The owner register: CSV validation row by row, all-or-nothing import, phone matching and admin bootstrap."""
from __future__ import annotations

import pytest

from domain.errors import AlreadyRegistered, InvalidInput, NotRegistered, PermissionDenied
from domain.people import Role
from domain.registration import RegisterEntry, normalize_phone, validate_register
from domain.usecases import registration as reg
from domain.values import Language, Location
from tests.fakes import ESTATE_ID, World, demo_estate

GOOD = [
    {"building": "5", "unit": "1", "room": "602", "name": "赵六", "phone": "139 1234 5678"},
    {"building": "B", "unit": "", "room": "1101", "name": "Bob", "phone": "+86 139-8765-4321"},
    {"building": "9", "unit": "2", "room": "301", "name": "赵六", "phone": "13912345678"},
]


def rows(*overrides: dict[str, str]) -> list[dict[str, str]]:
    return [{**GOOD[0], **o} for o in overrides]


def registered(world: World, phone: str) -> list[RegisterEntry]:
    with world.uow:
        return world.uow.register.by_phone(ESTATE_ID, phone)


@pytest.mark.parametrize(("raw", "expected"), [
    ("13912345678", "13912345678"), ("139 1234 5678", "13912345678"), ("139-1234-5678", "13912345678"),
    ("+86 139 1234 5678", "13912345678"), ("+86-139-1234-5678", "13912345678"), ("0086 13912345678", "13912345678"),
    ("8613912345678", "13912345678"), ("(021) 6234-5678", "02162345678"), ("+44 20 7946 0958", "442079460958"),
    ("12345", None), ("", None), ("abc", None), ("1" * 16, None),
])
def test_phone_numbers_are_normalized_to_digits_without_the_china_prefix(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


def test_a_clean_register_validates_with_homes_checked_and_phones_normalized() -> None:
    report = validate_register(GOOD, demo_estate())
    assert report.ok
    assert report.entries[1] == RegisterEntry(Location("B", None, "1101"), "Bob", "13987654321")
    assert report.entries[0].home == Location("5", "1", "602")


@pytest.mark.parametrize(("override", "problem"), [
    ({"building": "99"}, "unknown building"),
    ({"unit": "7"}, "no unit 7"),
    ({"building": "B", "unit": "1"}, "has no units"),
    ({"room": ""}, "missing room"),
    ({"name": "  "}, "missing name"),
    ({"phone": ""}, "missing phone"),
    ({"phone": "12-34"}, "not a phone number"),
    ({"building": ""}, "missing building"),
], ids=["unknown-building", "unknown-unit", "unit-in-building-without-units", "no-room", "no-name", "no-phone",
        "bad-phone", "no-building"])
def test_each_bad_row_is_reported_with_its_row_number_and_what_is_wrong(override: dict[str, str],
                                                                        problem: str) -> None:
    report = validate_register(GOOD + rows(override), demo_estate())
    assert [number for number, _ in report.errors] == [5]  # the header is row 1
    assert problem in report.errors[0][1]


def test_every_problem_of_every_bad_row_is_reported_not_just_the_first() -> None:
    report = validate_register(rows({"name": "", "phone": "x"}, {}, {"building": "Z"}), demo_estate())
    assert [n for n, _ in report.errors] == [2, 4]
    assert "missing name" in report.errors[0][1] and "not a phone number" in report.errors[0][1]


def test_the_same_home_and_phone_twice_is_a_duplicate_even_when_written_differently() -> None:
    report = validate_register(rows({}, {"phone": "+86 139-1234-5678", "room": " 602 "}), demo_estate())
    assert report.errors == [(3, "duplicate of row 2")]


def test_one_phone_may_own_several_homes_and_one_home_may_have_several_phones() -> None:
    report = validate_register(rows({}, {"room": "603"}, {"phone": "13700000000"}), demo_estate())
    assert report.ok and len(report.entries) == 3


def test_staff_import_the_register_and_a_new_import_replaces_the_old(world: World) -> None:
    assert reg.import_owner_register(world.uow, world.dispatcher, GOOD).ok
    assert [e.home for e in registered(world, "13912345678")] == [Location("5", "1", "602"), Location("9", "2", "301")]
    reg.import_owner_register(world.uow, world.dispatcher, GOOD[1:2])
    assert registered(world, "13912345678") == []
    assert len(registered(world, "13987654321")) == 1


def test_nothing_is_imported_when_one_row_is_bad(world: World) -> None:
    reg.import_owner_register(world.uow, world.dispatcher, GOOD[1:2])
    report = reg.import_owner_register(world.uow, world.dispatcher, GOOD + rows({"building": "99"}))
    assert not report.ok and [n for n, _ in report.errors] == [5]
    assert registered(world, "13912345678") == []  # none of the good rows went in
    assert len(registered(world, "13987654321")) == 1  # and the old register is untouched


def test_an_empty_file_is_refused_rather_than_wiping_the_register(world: World) -> None:
    reg.import_owner_register(world.uow, world.dispatcher, GOOD)
    report = reg.import_owner_register(world.uow, world.dispatcher, [])
    assert not report.ok
    assert len(registered(world, "13912345678")) == 2


@pytest.mark.parametrize("who", ["owner", "plumber", "outsider"])
def test_only_staff_of_the_estate_import_its_register(world: World, who: str) -> None:
    if who == "outsider":  # staff elsewhere import their own estate's register, never this one
        reg.import_owner_register(world.uow, world.outsider, GOOD)
        assert registered(world, "13912345678") == []
        return
    with pytest.raises(PermissionDenied):
        reg.import_owner_register(world.uow, getattr(world, who), GOOD)


@pytest.mark.parametrize("shared", ["13912345678", "+86 139 1234 5678", "139-1234-5678", "0086-139-1234-5678",
                                    " 8613912345678 "])
def test_an_owner_sharing_their_phone_is_matched_however_it_is_written(world: World, shared: str) -> None:
    reg.import_owner_register(world.uow, world.dispatcher, GOOD)
    person = reg.register_by_phone(world.uow, ESTATE_ID, 5555, shared, "Tg", Language.ZH)
    assert person.role is Role.OWNER and person.name == "赵六" and person.phone == "13912345678"
    assert person.homes == [Location("5", "1", "602"), Location("9", "2", "301")]
    assert world.person(person.id or 0).homes == person.homes


def test_a_known_owner_matched_by_phone_gains_the_register_homes_once(world: World) -> None:
    reg.import_owner_register(world.uow, world.dispatcher, rows({}, {"building": "3", "unit": "2", "room": "1801"}))
    reg.register_by_phone(world.uow, ESTATE_ID, 1001, "13912345678", "Tg", Language.ZH)
    reg.register_by_phone(world.uow, ESTATE_ID, 1001, "13912345678", "Tg", Language.ZH)
    assert world.person(world.owner).homes == [Location("3", "2", "1801"), Location("5", "1", "602")]


def test_a_phone_not_in_the_register_is_not_registered(world: World) -> None:
    reg.import_owner_register(world.uow, world.dispatcher, GOOD)
    with pytest.raises(NotRegistered):
        reg.register_by_phone(world.uow, ESTATE_ID, 5555, "13000000000", "Tg", Language.ZH)
    with world.uow:
        assert world.uow.people.by_chat_id(5555) is None


def test_something_that_is_not_a_phone_number_is_invalid(world: World) -> None:
    with pytest.raises(InvalidInput):
        reg.register_by_phone(world.uow, ESTATE_ID, 5555, "hello", "Tg", Language.ZH)


def test_a_technician_cannot_become_an_owner_by_phone(world: World) -> None:
    reg.import_owner_register(world.uow, world.dispatcher, GOOD)
    with pytest.raises(AlreadyRegistered):
        reg.register_by_phone(world.uow, ESTATE_ID, 2001, "13912345678", "Tg", Language.ZH)


def test_admins_are_bootstrapped_from_config_once(world: World) -> None:
    created = reg.bootstrap_admins(world.uow, ESTATE_ID, [9001, 9002, 9003])
    assert [p.chat_id for p in created] == [9002, 9003] and all(p.role is Role.ADMIN for p in created)
    assert reg.bootstrap_admins(world.uow, ESTATE_ID, [9001, 9002, 9003]) == []
    with world.uow:
        assert len(world.uow.people.find(role=Role.ADMIN)) == 3


def test_people_choose_their_language_and_technicians_go_on_and_off_duty(world: World) -> None:
    assert reg.set_language(world.uow, world.owner, Language.EN).language is Language.EN
    assert world.person(world.owner).language is Language.EN
    reg.set_duty(world.uow, world.plumber, False)
    assert world.person(world.plumber).on_duty is False
    with pytest.raises(PermissionDenied):
        reg.set_duty(world.uow, world.owner, False)
