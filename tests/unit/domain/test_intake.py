"""Which fresh messages open a report, which are asked about, and which are left alone."""
from __future__ import annotations

from dataclasses import replace

import pytest

from domain.reporting.intake import Route, route
from domain.values import Intent, Priority
from tests.unit.domain.reporting_driver import read

SURE = 0.8


@pytest.mark.parametrize("text", ["马桶堵了", "3栋2单元1801厨房水管漏水了", "The kitchen tap in B-1208 is dripping",
                                  "闻到煤气味"])
def test_a_report_naming_its_fixture_opens_a_report(text: str) -> None:
    assert route(read(text), False, SURE) is Route.REPORT


@pytest.mark.parametrize("text", ["帮我订一张明天去北京的机票", "what's the weather like tomorrow",
                                  "book a table for two at 7pm", "transfer 500 to my savings account",
                                  "把客厅的灯打开", "turn off the living room lights"])
def test_an_everyday_request_never_opens_a_report(text: str) -> None:
    assert route(read(text), False, SURE) in (Route.NOT_A_REPORT, Route.SMALL_TALK)


def test_an_unsure_report_that_names_no_fixture_is_asked_about_once() -> None:
    unsure = replace(read("家里那个东西又不行了"), intent=Intent.REPORT_PROBLEM, confidence=0.3)
    assert route(unsure, False, SURE) is Route.ASK_IF_REPORT
    assert route(replace(unsure, confidence=0.9), False, SURE) is Route.REPORT


@pytest.mark.parametrize("text, expected", [("#12 进度怎么样了", Route.CHECK_STATUS), ("怎么还没人来修", Route.URGE),
                                            ("你好", Route.SMALL_TALK), ("谢谢", Route.SMALL_TALK)])
def test_ticket_matters_and_small_talk_are_routed_as_such(text: str, expected: Route) -> None:
    assert route(read(text), False, SURE) is expected


def test_a_question_goes_to_the_knowledge_base_first() -> None:
    assert route(read("马桶一直流水怎么办"), True, SURE) is Route.QUESTION


def test_an_unsure_urgent_report_is_never_asked_about() -> None:
    unsure = replace(read("开关发热，还有噼啪声"), intent=Intent.REPORT_PROBLEM, confidence=0.3, category=None,
                     category_sure=False, priority=Priority.URGENT)
    assert route(unsure, False, SURE) is Route.REPORT


def test_a_question_about_a_ticket_goes_to_the_ticket_not_to_the_articles() -> None:
    assert route(replace(read("我的工单怎么样了"), intent=Intent.CHECK_STATUS), True, SURE) is Route.CHECK_STATUS
