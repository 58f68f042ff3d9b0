"""The lifecycle use cases and what each move leaves behind on the ticket."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import (AlreadyTaken, IllegalTransition, InvalidInput, MissingReason, NotFound, NotRegistered,
                           PermissionDenied, ReopenWindowPassed, TooSoon)
from domain.lifecycle import Status
from domain.ports import TicketFilter
from domain.ticket import AttachmentKind, Completion, Stage
from domain.usecases import tickets as uc
from domain.values import Category, Location, Priority
from tests.fakes import World


def test_an_owner_opens_a_ticket_that_starts_submitted_with_a_number(world: World) -> None:
    change = uc.open_ticket(world.uow, world.clock, world.policies, world.owner, uc.NewTicket(
        Location("3", "2", "1801", "厨房"), Category.PLUMBING, Priority.URGENT, "  水管漏水  ",
        photos=(("f1", AttachmentKind.PHOTO),)))
    ticket = world.ticket(change.ticket.id or 0)
    assert ticket.status is Status.SUBMITTED and ticket.number == f"#{ticket.id}"
    assert ticket.description == "水管漏水" and ticket.owner_id == world.owner and ticket.estate_id == "sunrise"
    assert [(a.file_id, a.stage) for a in ticket.attachments] == [("f1", Stage.REPORT)]
    assert change.event.ticket_id == ticket.id


@pytest.mark.parametrize(("description", "location"), [
    ("", Location("3", "2", "1801")), ("   ", Location("3", "2", "1801")), ("x" * 2001, Location("3")),
    ("漏水", Location()),
], ids=["empty", "blank", "too-long", "no-location"])
def test_a_report_without_description_or_location_is_refused(world: World, description: str,
                                                            location: Location) -> None:
    with pytest.raises(InvalidInput):
        uc.open_ticket(world.uow, world.clock, world.policies, world.owner,
                       uc.NewTicket(location, Category.PLUMBING, Priority.NORMAL, description))
    assert world.uow.commits == 1  # only make_world's


@pytest.mark.parametrize("who", ["plumber", "dispatcher", "admin"])
def test_only_owners_open_tickets(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        world.report(owner=getattr(world, who))


def test_an_unknown_person_is_not_registered(world: World) -> None:
    with pytest.raises(NotRegistered):
        world.report(owner=999)


def test_an_inactive_person_can_no_longer_act(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    with world.uow:
        plumber = world.uow.people.get(world.plumber)
        assert plumber is not None
        plumber.active = False
        world.uow.people.save(plumber)
        world.uow.commit()
    with pytest.raises(NotRegistered):
        uc.start(world.uow, world.clock, world.plumber, tid)


def test_acting_on_a_ticket_that_does_not_exist_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        uc.triage(world.uow, world.clock, world.dispatcher, 404)


def test_staff_reject_a_report_that_is_not_a_repair_with_the_reason_kept(world: World) -> None:
    tid = world.report()
    uc.reject(world.uow, world.clock, world.dispatcher, tid, "不属于报修范围")
    ticket = world.ticket(tid)
    assert ticket.status is Status.CANCELLED and ticket.cancel_reason == "不属于报修范围"


def test_assigning_sets_the_technician_and_waits_for_acceptance(world: World) -> None:
    tid = world.ticket_in(Status.AWAITING_DISPATCH)
    change = uc.assign(world.uow, world.clock, world.dispatcher, tid, world.plumber)
    ticket = world.ticket(tid)
    assert ticket.status is Status.ASSIGNED and ticket.technician_id == world.plumber and ticket.accepted_at is None
    assert change.event.note == f"technician:{world.plumber}"


def test_staff_can_assign_straight_from_submitted(world: World) -> None:
    tid = world.report()
    uc.assign(world.uow, world.clock, world.dispatcher, tid, world.plumber)
    assert world.ticket(tid).status is Status.ASSIGNED


def test_reassigning_hands_the_job_to_another_technician_who_must_accept_again(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    uc.accept(world.uow, world.clock, world.plumber, tid)
    uc.assign(world.uow, world.clock, world.dispatcher, tid, world.builder)
    ticket = world.ticket(tid)
    assert ticket.technician_id == world.builder and ticket.accepted_at is None and ticket.status is Status.ASSIGNED


@pytest.mark.parametrize("who", ["owner", "dispatcher", "outsider_tech", "nobody", "inactive"])
def test_a_ticket_can_only_be_assigned_to_an_active_technician_of_its_estate(world: World, who: str) -> None:
    tid = world.ticket_in(Status.AWAITING_DISPATCH)
    target = {"nobody": 999}.get(who) or getattr(world, who, 0)
    if who == "inactive":
        target = world.builder
        with world.uow:
            builder = world.uow.people.get(target)
            assert builder is not None
            builder.active = False
            world.uow.people.save(builder)
            world.uow.commit()
    with pytest.raises(InvalidInput):
        uc.assign(world.uow, world.clock, world.dispatcher, tid, target)
    ticket = world.ticket(tid)
    assert ticket.status is Status.AWAITING_DISPATCH and ticket.technician_id is None
    assert len(world.timeline(tid)) == 2


@pytest.mark.parametrize("state", [Status.SUBMITTED, Status.AWAITING_DISPATCH])
def test_claiming_from_the_pool_sets_the_technician_and_counts_as_accepted(world: World, state: Status) -> None:
    tid = world.ticket_in(state)
    world.clock.advance(timedelta(minutes=5))
    uc.claim(world.uow, world.clock, world.builder, tid)
    ticket = world.ticket(tid)
    assert ticket.status is Status.ASSIGNED and ticket.technician_id == world.builder
    assert ticket.accepted_at == world.clock.now()


def test_the_second_claim_on_a_job_is_told_it_is_already_taken(world: World) -> None:
    tid = world.report()
    uc.claim(world.uow, world.clock, world.plumber, tid)
    with pytest.raises(AlreadyTaken):
        uc.claim(world.uow, world.clock, world.builder, tid)
    with pytest.raises(AlreadyTaken):
        uc.claim(world.uow, world.clock, world.plumber, tid)
    assert world.ticket(tid).technician_id == world.plumber


def test_a_claim_that_loses_the_race_in_storage_is_told_it_is_already_taken(world: World) -> None:
    tid = world.report()
    rival = world.new_uow()
    real_get = world.uow.tickets.get

    def get_then_rival_claims(ticket_id: int):  # the rival commits between our read and our write
        ticket = real_get(ticket_id)
        del world.uow.tickets.get  # once only
        uc.claim(rival, world.clock, world.builder, ticket_id)
        return ticket

    world.uow.tickets.get = get_then_rival_claims  # type: ignore[method-assign]
    with pytest.raises(AlreadyTaken):
        uc.claim(world.uow, world.clock, world.plumber, tid)
    assert world.ticket(tid).technician_id == world.builder


def test_a_technician_without_the_skill_cannot_claim_even_a_taken_job(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    with pytest.raises(PermissionDenied):
        uc.claim(world.uow, world.clock, world.lift_tech, tid)


def test_a_technician_of_another_estate_is_denied_rather_than_told_the_job_is_taken(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    with pytest.raises(PermissionDenied):
        uc.claim(world.uow, world.clock, world.outsider_tech, tid)


def test_accepting_records_when_the_technician_accepted(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    world.clock.advance(timedelta(minutes=3))
    uc.accept(world.uow, world.clock, world.plumber, tid)
    ticket = world.ticket(tid)
    assert ticket.status is Status.ASSIGNED and ticket.accepted_at == world.clock.now()


def test_accepting_twice_is_an_illegal_transition(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    uc.accept(world.uow, world.clock, world.plumber, tid)
    with pytest.raises(IllegalTransition):
        uc.accept(world.uow, world.clock, world.plumber, tid)


def test_a_claimed_job_needs_no_separate_acceptance(world: World) -> None:
    tid = world.report()
    uc.claim(world.uow, world.clock, world.plumber, tid)
    with pytest.raises(IllegalTransition):
        uc.accept(world.uow, world.clock, world.plumber, tid)


def test_declining_returns_the_job_to_awaiting_dispatch_and_clears_the_technician(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    uc.accept(world.uow, world.clock, world.plumber, tid)
    change = uc.decline(world.uow, world.clock, world.plumber, tid, "不在片区")
    ticket = world.ticket(tid)
    assert ticket.status is Status.AWAITING_DISPATCH
    assert ticket.technician_id is None and ticket.accepted_at is None
    assert change.event.note == "不在片区"


def test_declining_without_a_reason_is_refused_and_changes_nothing(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    with pytest.raises(MissingReason):
        uc.decline(world.uow, world.clock, world.plumber, tid, "  ")
    assert world.ticket(tid).technician_id == world.plumber


def test_starting_records_the_start_and_accepts_the_job(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    world.clock.advance(timedelta(minutes=20))
    uc.start(world.uow, world.clock, world.plumber, tid)
    ticket = world.ticket(tid)
    assert ticket.status is Status.IN_PROGRESS
    assert ticket.started_at == ticket.accepted_at == world.clock.now()


def test_holding_keeps_the_reason_and_resuming_clears_it(world: World) -> None:
    tid = world.ticket_in(Status.IN_PROGRESS)
    uc.hold(world.uow, world.clock, world.plumber, tid, "等配件")
    assert (world.ticket(tid).status, world.ticket(tid).hold_reason) == (Status.ON_HOLD, "等配件")
    uc.resume(world.uow, world.clock, world.plumber, tid)
    assert (world.ticket(tid).status, world.ticket(tid).hold_reason) == (Status.IN_PROGRESS, None)


def test_completing_records_notes_parts_labour_and_after_photos(world: World) -> None:
    tid = world.ticket_in(Status.IN_PROGRESS)
    world.clock.advance(timedelta(hours=1))
    uc.complete(world.uow, world.clock, world.plumber, tid, " 换了阀门 ", (" 阀门 ", " ", "生料带"), 45,
                photos=("after1",))
    ticket = world.ticket(tid)
    assert ticket.status is Status.AWAITING_CONFIRMATION and ticket.completed_at == world.clock.now()
    assert ticket.completion == Completion("换了阀门", ("阀门", "生料带"), 45)
    assert [(a.file_id, a.stage, a.added_by) for a in ticket.attachments] == [("after1", Stage.WORK, world.plumber)]


@pytest.mark.parametrize(("notes", "minutes"), [("", None), ("  ", 10), ("ok", -1), ("ok", 24 * 60 * 14 + 1)])
def test_completion_needs_notes_and_a_sane_labour_time(world: World, notes: str, minutes: int | None) -> None:
    tid = world.ticket_in(Status.IN_PROGRESS)
    with pytest.raises(InvalidInput):
        uc.complete(world.uow, world.clock, world.plumber, tid, notes, labour_minutes=minutes)
    assert world.ticket(tid).status is Status.IN_PROGRESS


def test_the_owner_confirming_the_work_completes_the_ticket(world: World) -> None:
    tid = world.ticket_in(Status.AWAITING_CONFIRMATION)
    uc.confirm(world.uow, world.clock, world.owner, tid)
    assert world.ticket(tid).status is Status.COMPLETED


def test_rejecting_the_completion_sends_it_back_as_counted_rework(world: World) -> None:
    tid = world.ticket_in(Status.AWAITING_CONFIRMATION)
    uc.reject_completion(world.uow, world.clock, world.owner, tid, "还在漏")
    ticket = world.ticket(tid)
    assert ticket.status is Status.IN_PROGRESS and ticket.rework_count == 1 and ticket.completed_at is None
    uc.complete(world.uow, world.clock, world.plumber, tid, "再次处理")
    uc.reject_completion(world.uow, world.clock, world.owner, tid, "仍然漏")
    assert world.ticket(tid).rework_count == 2


def test_rating_closes_the_ticket_and_keeps_the_stars_and_comment(world: World) -> None:
    tid = world.ticket_in(Status.COMPLETED)
    change = uc.rate(world.uow, world.clock, world.owner, tid, 4, " 很快 ")
    ticket = world.ticket(tid)
    assert ticket.status is Status.CLOSED and ticket.closed_at == world.clock.now()
    assert (ticket.rating, ticket.rating_comment) == (4, "很快")
    assert change.event.note == "4★ 很快"


@pytest.mark.parametrize("stars", [0, 6, -1])
def test_a_rating_outside_one_to_five_stars_is_refused(world: World, stars: int) -> None:
    tid = world.ticket_in(Status.COMPLETED)
    with pytest.raises(InvalidInput):
        uc.rate(world.uow, world.clock, world.owner, tid, stars)
    assert world.ticket(tid).status is Status.COMPLETED


def test_staff_can_close_a_completed_ticket_without_a_rating(world: World) -> None:
    tid = world.ticket_in(Status.COMPLETED)
    uc.close(world.uow, world.clock, world.manager, tid)
    ticket = world.ticket(tid)
    assert ticket.status is Status.CLOSED and ticket.rating is None


@pytest.mark.parametrize("state", [Status.SUBMITTED, Status.AWAITING_DISPATCH, Status.ASSIGNED])
def test_the_owner_can_cancel_before_work_starts(world: World, state: Status) -> None:
    tid = world.ticket_in(state)
    uc.cancel(world.uow, world.clock, world.owner, tid, "自己修好了")
    ticket = world.ticket(tid)
    assert ticket.status is Status.CANCELLED and ticket.cancel_reason == "自己修好了"


def test_nobody_can_cancel_once_work_has_started(world: World) -> None:
    tid = world.ticket_in(Status.IN_PROGRESS)
    with pytest.raises(IllegalTransition) as caught:
        uc.cancel(world.uow, world.clock, world.owner, tid, "不修了")
    assert caught.value.current == "in_progress"


def test_staff_reopen_a_closed_ticket_within_the_window_for_counted_rework(world: World) -> None:
    tid = world.ticket_in(Status.CLOSED)
    world.clock.advance(world.policies.reopen_window)
    uc.reopen(world.uow, world.clock, world.policies, world.dispatcher, tid, "又漏了")
    ticket = world.ticket(tid)
    assert ticket.status is Status.AWAITING_DISPATCH and ticket.rework_count == 1
    assert ticket.technician_id is None and ticket.closed_at is None and ticket.started_at is None


def test_reopening_after_the_window_is_refused(world: World) -> None:
    tid = world.ticket_in(Status.CLOSED)
    world.clock.advance(world.policies.reopen_window + timedelta(seconds=1))
    with pytest.raises(ReopenWindowPassed) as caught:
        uc.reopen(world.uow, world.clock, world.policies, world.dispatcher, tid, "又漏了")
    assert caught.value.facts["days"] == 7
    assert world.ticket(tid).status is Status.CLOSED


def test_an_owner_asking_to_reopen_an_old_ticket_is_denied_not_told_about_the_window(world: World) -> None:
    tid = world.ticket_in(Status.CLOSED)
    world.clock.advance(timedelta(days=30))
    with pytest.raises(PermissionDenied):
        uc.reopen(world.uow, world.clock, world.policies, world.owner, tid, "又漏了")


def test_the_owner_can_urge_once_per_cool_down(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    uc.urge(world.uow, world.clock, world.policies, world.owner, tid)
    assert world.ticket(tid).last_urged_at == world.clock.now()
    world.clock.advance(timedelta(minutes=29))
    with pytest.raises(TooSoon) as caught:
        uc.urge(world.uow, world.clock, world.policies, world.owner, tid)
    assert caught.value.facts["minutes"] == 2
    world.clock.advance(timedelta(minutes=1))
    uc.urge(world.uow, world.clock, world.policies, world.owner, tid)
    assert world.ticket(tid).last_urged_at == world.clock.now()


@pytest.mark.parametrize("state", [Status.COMPLETED, Status.CLOSED, Status.CANCELLED])
def test_a_finished_ticket_cannot_be_urged(world: World, state: Status) -> None:
    tid = world.ticket_in(state)
    with pytest.raises(IllegalTransition):
        uc.urge(world.uow, world.clock, world.policies, world.owner, tid)


def test_comments_are_kept_and_blank_ones_refused(world: World) -> None:
    tid = world.ticket_in(Status.IN_PROGRESS)
    change = uc.comment(world.uow, world.clock, world.plumber, tid, "明天上午到")
    assert change.event.note == "明天上午到" and world.timeline(tid)[-1] == change.event
    with pytest.raises(InvalidInput):
        uc.comment(world.uow, world.clock, world.owner, tid, "   ")


def test_attachments_are_staged_by_who_sends_them(world: World) -> None:
    tid = world.ticket_in(Status.IN_PROGRESS)
    uc.attach(world.uow, world.clock, world.owner, tid, "owner-photo")
    uc.attach(world.uow, world.clock, world.plumber, tid, "tech-video", AttachmentKind.VIDEO)
    assert [(a.file_id, a.kind, a.stage) for a in world.ticket(tid).attachments] == [
        ("owner-photo", AttachmentKind.PHOTO, Stage.REPORT), ("tech-video", AttachmentKind.VIDEO, Stage.WORK)]


@pytest.mark.parametrize("state", [Status.CLOSED, Status.CANCELLED])
def test_nothing_can_be_attached_to_a_closed_or_cancelled_ticket(world: World, state: Status) -> None:
    tid = world.ticket_in(state)
    with pytest.raises(IllegalTransition):
        uc.attach(world.uow, world.clock, world.owner, tid, "late-photo")


def test_a_draft_submitted_twice_opens_one_ticket(world: World) -> None:
    new = uc.NewTicket(Location("3", "2", "1801"), Category.PLUMBING, Priority.NORMAL, "厨房水管漏水", report_key="k1")
    first = uc.open_ticket(world.uow, world.clock, world.policies, world.owner, new)
    again = uc.open_ticket(world.uow, world.clock, world.policies, world.owner, new)
    assert (first.repeated, again.repeated) == (False, True) and again.ticket.id == first.ticket.id
    with world.uow:
        assert len(world.uow.tickets.find(TicketFilter())) == 1
