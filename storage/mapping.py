"""Explicit row <-> domain mapping, so the domain never sees SQLAlchemy."""
from __future__ import annotations

from typing import Any

from domain.estate import Building, Estate
from domain.lifecycle import Action, Status
from domain.people import Person, Role, StaffRole
from domain.registration import Invite, RegisterEntry
from domain.ticket import Attachment, AttachmentKind, Completion, Stage, Ticket, TicketEvent
from domain.values import Category, Language, Location, Priority
from storage.models import AttachmentRow, EstateRow, InviteRow, PersonRow, RegisterRow, TicketEventRow, TicketRow


def location_to_json(loc: Location | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    return {"building": loc.building, "unit": loc.unit, "room": loc.room, "area": loc.area,
            "common_area": loc.common_area}


def location_from_json(data: dict[str, Any] | None) -> Location | None:
    return Location(**data) if data else None


def estate_to_row(estate: Estate) -> EstateRow:
    buildings = [{"id": b.id, "name": b.name, "units": list(b.units),
                  "coordinates": list(b.coordinates) if b.coordinates else None} for b in estate.buildings]
    return EstateRow(id=estate.id, name=estate.name, buildings=buildings)


def estate_from_row(row: EstateRow) -> Estate:
    buildings = tuple(Building(id=b["id"], name=b["name"], units=tuple(b.get("units") or ()),
                               coordinates=tuple(b["coordinates"]) if b.get("coordinates") else None)  # type: ignore[arg-type]
                      for b in row.buildings)
    return Estate(id=row.id, name=row.name, buildings=buildings)


def person_to_row(p: Person, row: PersonRow | None = None) -> PersonRow:
    row = row or PersonRow()
    row.estate_id, row.name, row.role, row.phone, row.chat_id = p.estate_id, p.name, p.role.value, p.phone, p.chat_id
    row.language = p.language.value
    row.homes = [location_to_json(h) for h in p.homes]  # type: ignore[misc]
    row.skills, row.zones = sorted(s.value for s in p.skills), sorted(p.zones)
    row.on_duty, row.active = p.on_duty, p.active
    row.staff_role = p.staff_role.value if p.staff_role else None
    return row


def person_from_row(row: PersonRow) -> Person:
    return Person(
        id=row.id, estate_id=row.estate_id, name=row.name, role=Role(row.role), phone=row.phone,
        chat_id=row.chat_id, language=Language(row.language),
        homes=[Location(**h) for h in row.homes or []], skills=frozenset(Category(s) for s in row.skills or []),
        zones=frozenset(row.zones or []), on_duty=row.on_duty, active=row.active,
        staff_role=StaffRole(row.staff_role) if row.staff_role else None,
    )


TICKET_FIELDS = ("estate_id", "owner_id", "technician_id", "description", "created_at", "response_due_at",
                 "arrival_due_at", "resolution_due_at", "accepted_at", "started_at", "completed_at", "closed_at",
                 "last_urged_at", "hold_reason", "cancel_reason", "rework_count", "rating", "rating_comment", "report_key",
                 "parent_id")


def ticket_values(t: Ticket) -> dict[str, Any]:
    """Column values for a ticket, without id and version (the repository manages those)."""
    values = {f: getattr(t, f) for f in TICKET_FIELDS}
    loc = t.location
    values.update(building=loc.building, unit=loc.unit, room=loc.room, area=loc.area, common_area=loc.common_area,
                  category=t.category.value, priority=t.priority.value, status=t.status.value,
                  completion_notes=t.completion.notes if t.completion else None,
                  completion_parts=list(t.completion.parts) if t.completion else None,
                  labour_minutes=t.completion.labour_minutes if t.completion else None)
    return values


def ticket_from_row(row: TicketRow, attachments: list[AttachmentRow]) -> Ticket:
    ticket = Ticket(**{f: getattr(row, f) for f in TICKET_FIELDS},
                    id=row.id, version=row.version, status=Status(row.status),
                    location=Location(row.building, row.unit, row.room, row.area, row.common_area),
                    category=Category(row.category), priority=Priority(row.priority))
    if row.completion_notes is not None:
        ticket.completion = Completion(row.completion_notes, tuple(row.completion_parts or ()), row.labour_minutes)
    ticket.attachments = [attachment_from_row(a) for a in attachments]
    return ticket


def attachment_from_row(row: AttachmentRow) -> Attachment:
    return Attachment(row.file_id, AttachmentKind(row.kind), Stage(row.stage), row.added_by, row.added_at)


def attachment_to_row(ticket_id: int, a: Attachment) -> AttachmentRow:
    return AttachmentRow(ticket_id=ticket_id, file_id=a.file_id, kind=a.kind.value, stage=a.stage.value,
                         added_by=a.added_by, added_at=a.added_at)


def event_to_row(ticket_id: int, e: TicketEvent) -> TicketEventRow:
    return TicketEventRow(ticket_id=ticket_id, action=e.action.value,
                          from_status=e.from_status.value if e.from_status else None, to_status=e.to_status.value,
                          actor_id=e.actor_id, actor_role=e.actor_role.value if e.actor_role else None,
                          at=e.at, note=e.note)


def event_from_row(row: TicketEventRow) -> TicketEvent:
    return TicketEvent(row.ticket_id, Action(row.action), Status(row.from_status) if row.from_status else None,
                       Status(row.to_status), row.actor_id, Role(row.actor_role) if row.actor_role else None,
                       row.at, row.note)


def invite_to_row(i: Invite, row: InviteRow | None = None) -> InviteRow:
    row = row or InviteRow(code=i.code)
    row.role, row.estate_id, row.created_by, row.created_at, row.expires_at = (
        i.role.value, i.estate_id, i.created_by, i.created_at, i.expires_at)
    row.name, row.home = i.name, location_to_json(i.home)
    row.skills, row.zones = sorted(s.value for s in i.skills), sorted(i.zones)
    row.staff_role = i.staff_role.value if i.staff_role else None
    row.used_by, row.used_at, row.revoked_at = i.used_by, i.used_at, i.revoked_at
    return row


def invite_from_row(row: InviteRow) -> Invite:
    return Invite(code=row.code, role=Role(row.role), estate_id=row.estate_id, created_by=row.created_by,
                  created_at=row.created_at, expires_at=row.expires_at, name=row.name,
                  home=location_from_json(row.home), skills=frozenset(Category(s) for s in row.skills or []),
                  zones=frozenset(row.zones or []), staff_role=StaffRole(row.staff_role) if row.staff_role else None,
                  used_by=row.used_by, used_at=row.used_at, revoked_at=row.revoked_at)


def register_to_row(estate_id: str, e: RegisterEntry) -> RegisterRow:
    return RegisterRow(estate_id=estate_id, building=e.home.building, unit=e.home.unit, room=e.home.room,
                       name=e.name, phone=e.phone)


def register_from_row(row: RegisterRow) -> RegisterEntry:
    return RegisterEntry(Location(building=row.building, unit=row.unit, room=row.room), row.name, row.phone)
