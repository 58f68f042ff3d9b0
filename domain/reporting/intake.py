"""A message that starts nothing yet: is it a report, a question, a ticket matter, small talk, or none of these?"""
from __future__ import annotations

from enum import Enum

from domain.reporting.answers import Reading
from domain.values import Intent, Priority


class Route(str, Enum):
    REPORT = "report"                  # open a draft
    ASK_IF_REPORT = "ask_if_report"    # "Is this a repair request?" [yes] [no]
    QUESTION = "question"              # answer from the knowledge base
    CHECK_STATUS = "check_status"
    URGE = "urge"
    CANCEL_TICKET = "cancel_ticket"
    SMALL_TALK = "small_talk"          # hello, thanks, a stray yes or no
    NOT_A_REPORT = "not_a_report"      # what the bot can do, and a button to report it anyway


TICKET_ROUTES = {Intent.CHECK_STATUS: Route.CHECK_STATUS, Intent.URGE: Route.URGE,
                 Intent.CANCEL_REQUEST: Route.CANCEL_TICKET}
SMALL_TALK = frozenset({Intent.GREET, Intent.THANK, Intent.AFFIRM, Intent.DENY})


def route(reading: Reading, looks_like_question: bool, report_sure: float) -> Route:
    """Never open a report unasked: an unsure report is asked about once, an off-topic message is left alone."""
    names_a_problem = reading.names_category
    if reading.intent in TICKET_ROUTES and not names_a_problem:
        return TICKET_ROUTES[reading.intent]  # "我的工单怎么样了" is a question, about a ticket: not for the articles
    if looks_like_question:
        return Route.QUESTION
    if reading.intent in SMALL_TALK and not names_a_problem:
        return Route.SMALL_TALK
    if reading.intent is Intent.REPORT_PROBLEM:
        # A named fixture ("马桶堵了") or a danger sign is a report however unsure the classifier is: nobody
        # reporting a crackling switch is asked "is this a repair?". Only a vague, calm one is asked about.
        sure = reading.confidence >= report_sure or names_a_problem or reading.priority is Priority.URGENT
        return Route.REPORT if sure else Route.ASK_IF_REPORT
    return Route.NOT_A_REPORT
