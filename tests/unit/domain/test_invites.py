"""Invite codes: who may create them, what they carry, and every way a code can be refused."""
from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest

from domain.errors import AlreadyRegistered, InvalidInput, InviteError, PermissionDenied
from domain.people import ALL_ZONES, Person, Role, StaffRole
from domain.registration import CODE_BYTES, Invite, new_invite
from domain.usecases import registration as reg
from domain.values import Category, Language, Location
from tests.fakes import T0, World

HOME = Location("5", "1", "602")
INVITERS = ["owner", "plumber", "dispatcher", "manager", "admin"]
MAY_INVITE = {
    "dispatcher": {Role.OWNER, Role.TECHNICIAN},
    "manager": {Role.OWNER, Role.TECHNICIAN, Role.STAFF},
    "admin": {Role.OWNER, Role.TECHNICIAN, Role.STAFF},
}


def invite(world: World, role: Role, by: int | None = None, **details: object) -> Invite:
    defaults: dict[str, object] = {
        Role.OWNER: {"home": HOME, "name": "赵六"},
        Role.TECHNICIAN: {"skills": frozenset({Category.GAS}), "zones": frozenset({"1", "B"})},
        Role.STAFF: {"staff_role": StaffRole.DISPATCHER},
        Role.ADMIN: {},
    }[role]
    return reg.create_invite(world.uow, world.clock, world.policies, by or world.manager, role,
                             **{**defaults, **details})  # type: ignore[arg-type]


def redeem(world: World, code: str, chat_id: int = 5555, name: str = "Tg User") -> Person:
    return reg.redeem_invite(world.uow, world.clock, code, chat_id, name, Language.EN)


@pytest.mark.parametrize("role", [Role.OWNER, Role.TECHNICIAN, Role.STAFF, Role.ADMIN], ids=lambda r: r.value)
@pytest.mark.parametrize("inviter", INVITERS)
def test_staff_invite_owners_and_technicians_and_only_managers_and_admins_invite_staff(
        world: World, inviter: str, role: Role) -> None:
    allowed = role in MAY_INVITE.get(inviter, set())
    if allowed:
        assert invite(world, role, by=getattr(world, inviter)).role is role
    else:
        with pytest.raises(PermissionDenied):
            invite(world, role, by=getattr(world, inviter))
        with world.uow:
            assert world.uow.invites.get("x") is None
        assert world.uow.commits == 1


def test_an_invite_expires_after_the_configured_time_and_belongs_to_the_inviters_estate(world: World) -> None:
    created = invite(world, Role.OWNER)
    assert created.created_at == T0 and created.expires_at == T0 + world.policies.invite_ttl
    assert created.estate_id == "sunrise" and created.created_by == world.manager and created.used_at is None


def test_an_owner_invite_carries_a_checked_home(world: World) -> None:
    created = invite(world, Role.OWNER, home=Location("b", None, " 1208 "))
    assert created.home == Location("B", None, "1208")


@pytest.mark.parametrize("home", [None, Location("99", None, "101"), Location("3", "9", "101"),
                                  Location("B", "1", "101"), Location("3", "1", None)],
                         ids=["no-home", "unknown-building", "unknown-unit", "unit-in-building-without-units",
                              "no-room"])
def test_an_owner_invite_for_a_home_that_does_not_exist_is_refused(world: World, home: Location | None) -> None:
    with pytest.raises(InvalidInput):
        invite(world, Role.OWNER, home=home)


def test_a_technician_invite_carries_skills_and_zones_defaulting_to_every_building(world: World) -> None:
    created = invite(world, Role.TECHNICIAN, zones=frozenset())
    assert created.skills == {Category.GAS} and created.zones == {ALL_ZONES}


def test_a_technician_invite_needs_skills_and_known_zones(world: World) -> None:
    with pytest.raises(InvalidInput):
        invite(world, Role.TECHNICIAN, skills=frozenset())
    with pytest.raises(InvalidInput) as caught:
        invite(world, Role.TECHNICIAN, zones=frozenset({"3", "Z"}))
    assert "Z" in str(caught.value)


def test_a_staff_invite_defaults_to_dispatcher(world: World) -> None:
    assert invite(world, Role.STAFF, staff_role=None).staff_role is StaffRole.DISPATCHER


def test_redeeming_an_owner_invite_registers_an_owner_of_that_home(world: World) -> None:
    code = invite(world, Role.OWNER).code
    person = redeem(world, code, chat_id=5555)
    assert (person.role, person.homes, person.chat_id, person.name) == (Role.OWNER, [HOME], 5555, "赵六")
    assert person.language is Language.EN and person.estate_id == "sunrise"
    with world.uow:
        used = world.uow.invites.get(code)
        assert world.uow.people.by_chat_id(5555) is not None
    assert used is not None and (used.used_by, used.used_at) == (person.id, world.clock.now())


def test_a_redeemed_invite_without_a_name_takes_the_chat_display_name(world: World) -> None:
    code = invite(world, Role.OWNER, name=None).code
    assert redeem(world, code, name="Tg User").name == "Tg User"


def test_redeeming_a_technician_invite_registers_a_technician_with_its_skills_and_zones(world: World) -> None:
    person = redeem(world, invite(world, Role.TECHNICIAN).code)
    assert person.role is Role.TECHNICIAN
    assert (person.skills, person.zones, person.on_duty) == ({Category.GAS}, {"1", "B"}, True)


def test_redeeming_a_staff_invite_registers_staff_with_their_staff_role(world: World) -> None:
    person = redeem(world, invite(world, Role.STAFF, staff_role=StaffRole.MANAGER).code)
    assert (person.role, person.staff_role) == (Role.STAFF, StaffRole.MANAGER)


def test_a_code_is_refused_once_it_has_expired(world: World) -> None:
    code = invite(world, Role.OWNER).code
    world.clock.advance(world.policies.invite_ttl)
    with pytest.raises(InviteError) as caught:
        redeem(world, code)
    assert caught.value.reason == "expired"


def test_a_code_still_works_a_moment_before_it_expires(world: World) -> None:
    code = invite(world, Role.OWNER).code
    world.clock.advance(world.policies.invite_ttl - timedelta(seconds=1))
    assert redeem(world, code).role is Role.OWNER


@pytest.mark.parametrize("second_chat", [5555, 6666], ids=["same-person", "someone-else"])
def test_a_code_works_only_once(world: World, second_chat: int) -> None:
    code = invite(world, Role.OWNER).code
    redeem(world, code, chat_id=5555)
    with pytest.raises(InviteError) as caught:
        redeem(world, code, chat_id=second_chat)
    assert caught.value.reason == "used"
    with world.uow:
        assert world.uow.people.by_chat_id(6666) is None


def test_of_two_redemptions_racing_for_one_code_only_the_first_registers_anyone(world: World) -> None:
    code = invite(world, Role.TECHNICIAN).code
    rival = world.new_uow()
    real_get = world.uow.invites.get

    def get_then_rival_redeems(wanted: str):  # the rival commits between our read and our write
        found = real_get(wanted)
        del world.uow.invites.get
        reg.redeem_invite(rival, world.clock, wanted, 7777, "Rival", Language.ZH)
        return found

    world.uow.invites.get = get_then_rival_redeems  # type: ignore[method-assign]
    with pytest.raises(InviteError) as caught:
        redeem(world, code, chat_id=8888)
    assert caught.value.reason == "used"
    with world.uow:
        assert world.uow.people.by_chat_id(8888) is None
        assert world.uow.people.by_chat_id(7777) is not None


@pytest.mark.parametrize("forged", ["", "   ", "not-a-code", "A" * 22, "x" * 200, "../../etc/passwd", "' OR 1=1 --"])
def test_an_unknown_or_forged_code_is_refused_as_unknown(world: World, forged: str) -> None:
    invite(world, Role.OWNER)
    with pytest.raises(InviteError) as caught:
        redeem(world, forged)
    assert caught.value.reason == "unknown" and caught.value.code == "invite_invalid"


def test_a_real_code_with_one_character_changed_is_unknown(world: World) -> None:
    code = invite(world, Role.OWNER).code
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(InviteError) as caught:
        redeem(world, tampered)
    assert caught.value.reason == "unknown"


def test_a_code_pasted_with_surrounding_spaces_still_works(world: World) -> None:
    code = invite(world, Role.OWNER).code
    assert redeem(world, f"  {code}\n").role is Role.OWNER


def test_codes_are_128_random_bits_url_safe_and_fit_a_telegram_start_payload() -> None:
    code = new_invite(Role.OWNER, "sunrise", 1, T0, timedelta(hours=1)).code
    assert CODE_BYTES * 8 >= 128
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,64}", code)
    assert len(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))) == CODE_BYTES


def test_codes_do_not_repeat_or_share_a_prefix_over_many_invites() -> None:
    codes = [new_invite(Role.OWNER, "sunrise", 1, T0, timedelta(hours=1)).code for _ in range(5000)]
    assert len(set(codes)) == len(codes)
    assert len({c[:6] for c in codes}) > 4990  # 36 random bits each: a collision among 5000 is rare
    alphabet = set("".join(codes))
    assert len(alphabet) == 64  # every url-safe character turns up: no skewed alphabet


def test_an_existing_owner_redeeming_another_owner_invite_gains_a_home(world: World) -> None:
    code = invite(world, Role.OWNER).code
    person = redeem(world, code, chat_id=1001)
    assert person.id == world.owner
    assert world.person(world.owner).homes == [Location("3", "2", "1801"), HOME]


def test_an_owner_redeeming_an_invite_for_a_home_they_have_does_not_list_it_twice(world: World) -> None:
    code = invite(world, Role.OWNER, home=Location("3", "2", "1801")).code
    redeem(world, code, chat_id=1001)
    assert world.person(world.owner).homes == [Location("3", "2", "1801")]


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.STAFF], ids=lambda r: r.value)
def test_an_owner_redeeming_a_non_owner_invite_is_already_registered_and_the_code_stays_usable(
        world: World, role: Role) -> None:
    code = invite(world, role).code
    with pytest.raises(AlreadyRegistered):
        redeem(world, code, chat_id=1001)
    assert redeem(world, code, chat_id=5555).role is role


@pytest.mark.parametrize("role", [Role.OWNER, Role.TECHNICIAN, Role.STAFF], ids=lambda r: r.value)
@pytest.mark.parametrize("chat_id", [2001, 3001, 9001], ids=["technician", "staff", "admin"])
def test_a_technician_or_staff_member_redeeming_anything_is_already_registered(world: World, role: Role,
                                                                               chat_id: int) -> None:
    code = invite(world, role).code
    with pytest.raises(AlreadyRegistered):
        redeem(world, code, chat_id=chat_id)
    with world.uow:
        stored = world.uow.invites.get(code)
    assert stored is not None and stored.used_at is None
