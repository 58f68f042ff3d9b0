"""Registration use cases: invites, the owner register, phone matching and admin bootstrap."""
from __future__ import annotations

from domain.errors import AlreadyRegistered, InvalidInput, InviteError, NotFound, NotRegistered, PermissionDenied
from domain.people import ALL_ZONES, Person, Role, StaffRole
from domain.ports import Clock, UnitOfWork
from domain.registration import ImportReport, Invite, RegisterEntry, new_invite, normalize_phone, validate_register
from domain.usecases.common import Policies, load_actor
from domain.values import MAX_NAME, Category, Language, Location


def create_invite(uow: UnitOfWork, clock: Clock, policies: Policies, actor_id: int, role: Role, *,
                  name: str | None = None, home: Location | None = None,
                  skills: frozenset[Category] = frozenset(), zones: frozenset[str] = frozenset(),
                  staff_role: StaffRole | None = None) -> Invite:
    """Staff invite owners and technicians; only managers and admins invite staff."""
    if name is not None and len(name) > MAX_NAME:
        raise InvalidInput("the name is too long", field="name", limit=MAX_NAME)
    with uow:
        actor = load_actor(uow, actor_id)
        _may_invite(actor, role)
        estate = uow.estates.get(actor.estate_id)
        details: dict[str, object] = {"name": name}
        if role is Role.OWNER:
            if home is None or estate is None:
                raise InvalidInput("an owner invite needs a home", field="home")
            details["home"] = estate.check_home(home)
        elif role is Role.TECHNICIAN:
            if not skills:
                raise InvalidInput("a technician invite needs skills", field="skills")
            unknown = [z for z in zones if z != ALL_ZONES and (estate is None or estate.building(z) is None)]
            if unknown:
                raise InvalidInput(f"unknown buildings: {', '.join(sorted(unknown))}", field="zones")
            details.update(skills=skills, zones=zones or frozenset({ALL_ZONES}))
        elif role is Role.STAFF:
            details["staff_role"] = staff_role or StaffRole.DISPATCHER
        invite = new_invite(role, actor.estate_id, actor.id, clock.now(), policies.invite_ttl, **details)
        uow.invites.add(invite)
        uow.commit()
        return invite


def _may_invite(actor: Person, role: Role) -> None:
    if not actor.is_staff:
        raise PermissionDenied("only staff create invites", role=actor.role.value)
    if role is Role.ADMIN:
        raise PermissionDenied("admins come from config.yml", role=role.value)
    if role is Role.STAFF and actor.role is not Role.ADMIN and actor.staff_role is not StaffRole.MANAGER:
        raise PermissionDenied("only managers invite staff", role=role.value)


def redeem_invite(uow: UnitOfWork, clock: Clock, code: str, chat_id: int, display_name: str,
                  language: Language) -> Person:
    """A user redeems a code: a new person, or an existing owner gains another home."""
    with uow:
        invite = uow.invites.get(code.strip()) if code and code.strip() else None
        if invite is None:
            raise InviteError("unknown")
        now = clock.now()
        invite.check_redeemable(now)
        person = uow.people.by_chat_id(chat_id)
        if person is not None:
            if not (person.role is Role.OWNER and invite.role is Role.OWNER):
                raise AlreadyRegistered("already registered", role=person.role.value)
            if invite.home and invite.home not in person.homes:
                person.homes.append(invite.home)
            uow.people.save(person)
        else:
            person = uow.people.add(Person(
                name=invite.name or display_name[:MAX_NAME], role=invite.role, estate_id=invite.estate_id, chat_id=chat_id,
                language=language, homes=[invite.home] if invite.home else [], skills=invite.skills,
                zones=invite.zones, staff_role=invite.staff_role,
            ))
        invite.used_by, invite.used_at = person.id, now
        uow.invites.save(invite)
        uow.commit()
        return person


def import_owner_register(uow: UnitOfWork, actor_id: int, rows: list[dict[str, str]]) -> ImportReport:
    """Replace the estate's owner register from CSV rows; any bad row and nothing is imported."""
    with uow:
        actor = load_actor(uow, actor_id)
        if not actor.is_staff:
            raise PermissionDenied("only staff import the register", role=actor.role.value)
        estate = uow.estates.get(actor.estate_id)
        if estate is None:
            raise InvalidInput("estate not configured", field="estate")
        report = validate_register(rows, estate)
        if report.ok:
            before = uow.register.all(estate.id)
            uow.register.replace_all(estate.id, report.entries)
            report.removed = _remove_lapsed_homes(uow, estate.id, before, report.entries)
            uow.commit()
        return report


def _remove_lapsed_homes(uow: UnitOfWork, estate_id: str, before: list[RegisterEntry],
                         after: list[RegisterEntry]) -> list[tuple[Person, list[Location]]]:
    """Homes the old register gave a phone and the new one does not are taken from that phone's owner.
    Homes that came by invite, not from the register, stay."""
    kept = {(e.phone, e.home) for e in after}
    lapsed: dict[str, list[Location]] = {}
    for e in before:
        if (e.phone, e.home) not in kept:
            lapsed.setdefault(e.phone, []).append(e.home)
    removed = []
    for person in uow.people.find(role=Role.OWNER, estate_id=estate_id):
        gone = [h for h in lapsed.get(person.phone or "", []) if h in person.homes]
        if gone:
            person.homes = [h for h in person.homes if h not in gone]
            uow.people.save(person)
            removed.append((person, gone))
    return removed


def revoke_invite(uow: UnitOfWork, clock: Clock, actor_id: int, code: str) -> Invite:
    """Staff take back an invite nobody has used yet; redeeming it afterwards is refused."""
    with uow:
        actor = load_actor(uow, actor_id)
        if not actor.is_staff:
            raise PermissionDenied("only staff revoke invites", role=actor.role.value)
        invite = uow.invites.get(code.strip())
        if invite is None or invite.estate_id != actor.estate_id:
            raise InviteError("unknown")
        if invite.used_at is not None:
            raise InviteError("used")
        invite.revoked_at = invite.revoked_at or clock.now()
        uow.invites.save(invite)
        uow.commit()
        return invite


def set_active(uow: UnitOfWork, actor_id: int, person_id: int, active: bool) -> Person:
    """Staff deactivate (or reactivate) a person of their estate: an inactive person can do nothing.
    Nobody deactivates themselves, and only an administrator deactivates staff or administrators."""
    with uow:
        actor = load_actor(uow, actor_id)
        target = uow.people.get(person_id)
        if not actor.is_staff:
            raise PermissionDenied("only staff deactivate people", role=actor.role.value)
        if target is None or target.estate_id != actor.estate_id:
            raise NotFound("no such person", person_id=person_id)
        if target.id == actor.id:
            raise PermissionDenied("not yourself", role=actor.role.value)
        if target.is_staff and actor.role is not Role.ADMIN:
            raise PermissionDenied("only administrators deactivate staff", role=actor.role.value)
        target.active = active
        uow.people.save(target)
        uow.commit()
        return target


def register_by_phone(uow: UnitOfWork, estate_id: str, chat_id: int, phone: str, display_name: str,
                      language: Language) -> Person:
    """An owner shares their phone contact; a match in the register makes them an owner of those homes."""
    normalized = normalize_phone(phone)
    if normalized is None:
        raise InvalidInput("not a phone number", field="phone")
    with uow:
        entries = uow.register.by_phone(estate_id, normalized)
        if not entries:
            raise NotRegistered("phone not in the owner register", phone=normalized)
        person = uow.people.by_chat_id(chat_id)
        if person is not None and person.role is not Role.OWNER:
            raise AlreadyRegistered("already registered", role=person.role.value)
        if person is None:  # an owner staff entered before they joined the chat becomes this chat's person
            person = next((p for p in uow.people.find(role=Role.OWNER, estate_id=estate_id, phone=normalized)
                           if p.chat_id is None and p.active), None)
            if person is not None:
                person.chat_id, person.language = chat_id, language
        if person is None:
            person = uow.people.add(Person(name=entries[0].name or display_name[:MAX_NAME], role=Role.OWNER,
                                           estate_id=estate_id,
                                           chat_id=chat_id, phone=normalized, language=language))
        person.homes += [e.home for e in entries if e.home not in person.homes]
        person.phone = normalized
        uow.people.save(person)
        uow.commit()
        return person


def bootstrap_admins(uow: UnitOfWork, estate_id: str, admin_chat_ids: list[int]) -> list[Person]:
    """Admins named in config.yml exist from the first start."""
    created = []
    with uow:
        for chat_id in admin_chat_ids:
            if uow.people.by_chat_id(chat_id) is None:
                created.append(uow.people.add(Person(name=f"Admin {chat_id}", role=Role.ADMIN,
                                                     estate_id=estate_id, chat_id=chat_id)))
        uow.commit()
    return created


def set_language(uow: UnitOfWork, actor_id: int, language: Language) -> Person:
    with uow:
        person = load_actor(uow, actor_id)
        person.language = language
        uow.people.save(person)
        uow.commit()
        return person


def set_duty(uow: UnitOfWork, actor_id: int, on_duty: bool) -> Person:
    with uow:
        person = load_actor(uow, actor_id)
        if person.role is not Role.TECHNICIAN:
            raise PermissionDenied("only technicians go on or off duty", role=person.role.value)
        person.on_duty = on_duty
        uow.people.save(person)
        uow.commit()
        return person
