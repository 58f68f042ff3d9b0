"""The client against the real Rasa server: typed results, engine 'rasa', sync and async, and the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from domain.values import Category, Language, Priority
from nlu import Intent, build_parser
from nlu.server import ROOT

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def parser(rasa_server, rasa_nlu_config):
    parser = build_parser(rasa_nlu_config)
    yield parser
    parser.close()


@pytest.mark.parametrize("text, intent, building, unit, room, category, urgency", [
    ("3号楼2单元1801室厨房水龙头漏水", "report_problem", "3", "2", "1801", "plumbing", "normal"),
    ("那个 嗯 九号楼二单元四零二 燃气灶有煤气味", "report_problem", "9", "2", "402", "gas", "urgent"),
    ("block nine flat four oh two the aircon is dead, no rush", "report_problem", "9", None, "402", "hvac", "low"),
    ("3栋的lift坏了", "report_problem", "3", None, None, "elevator", "normal"),
    ("someone is trapped in the lift, Tower B", "report_problem", "B", None, None, "elevator", "urgent"),
])
def test_real_rasa_reads_reports_in_both_languages(parser, text, intent, building, unit, room, category, urgency) -> None:
    parse = parser.parse(text)
    assert parse.engine == "rasa"
    assert (parse.intent, parse.location.building, parse.location.unit, parse.location.room) == (
        Intent(intent), building, unit, room)
    assert (parse.category, parse.urgency) == (Category(category), Priority(urgency))


@pytest.mark.parametrize("text, intent, ticket", [
    ("工单12怎么还没人来", "urge", 12), ("any update on ticket 7?", "check_status", 7),
    ("please cancel #5", "cancel_request", 5), ("谢谢师傅", "thank", None), ("hello", "greet", None),
    ("book me a flight to London", "out_of_scope", None),
])
def test_real_rasa_reads_conversation_intents_and_ticket_refs(parser, text, intent, ticket) -> None:
    parse = parser.parse(text)
    assert (parse.engine, parse.intent, parse.ticket_ref) == ("rasa", Intent(intent), ticket)


async def test_async_parse_reaches_the_real_server(rasa_nlu_config, rasa_server) -> None:
    parser = build_parser(rasa_nlu_config)
    parse = await parser.aparse("厨房有煤气味")
    await parser.aclose()
    assert (parse.engine, parse.language, parse.urgency) == ("rasa", Language.ZH, Priority.URGENT)


def test_the_cli_writes_one_json_object_per_input_line(rasa_server, rasa_nlu_config) -> None:
    done = subprocess.run([sys.executable, "-m", "app", "nlu", "parse", "--port", str(rasa_nlu_config.port)], cwd=ROOT,
                          input="3-2-1801 马桶堵了\n\nthe lift is broken\n", capture_output=True, text=True, timeout=60)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0 and len(lines) == 2
    assert lines[0]["location"] == {"building": "3", "unit": "2", "room": "1801", "area": None}
    assert {"text", "intent", "confidence", "language", "location", "category", "urgency", "engine"} <= set(lines[1])
    assert lines[1]["engine"] == "rasa" and lines[1]["category"] == "elevator"


@pytest.mark.parametrize("text, polarity", [
    ("是的，就是我家", "yes"), ("好的", "yes"), ("yes please", "yes"), ("不是，是5栋", "no"), ("nope", "no"),
    ("no, it's block 5", "no"), ("不热", None), ("没有热水", None), ("no hot water", None), ("not working", None),
])
def test_real_rasa_reads_yes_no_answers_and_never_a_problem_as_one(parser, text, polarity) -> None:
    parse = parser.parse(text)
    assert parse.engine == "rasa"
    assert (parse.polarity.value if parse.polarity else None) == polarity


@pytest.mark.parametrize("text", ["book a table for two at 8 tonight", "帮我订一张去上海的高铁票", "turn on the kitchen light"])
def test_real_rasa_keeps_everyday_requests_out_of_reports(parser, text) -> None:
    assert parser.parse(text).intent == Intent.OUT_OF_SCOPE


@pytest.mark.parametrize("text, category, urgency", [
    ("the EV charger in my parking bay shows an error", "electrical", "normal"),
    ("电梯停在5楼不动了，我老公在里面", "elevator", "urgent"), ("the bathroom switch sparked when I flicked it", "electrical", "urgent"),
    ("got a shock off the outlet by the washing machine", "electrical", "urgent"),
    ("there's a scorching smell from the plug socket", "electrical", "urgent"), ("厨房有一点点煤气味", "gas", "urgent"),
    ("the treadmill in the residents' gym won't stop", "other", "normal"),
    ("楼上那家不知道在干嘛，我家卫生间墙角一直湿湿的", "plumbing", "normal"),
    ("the lights in the lift lobby keep flickering", "electrical", "normal"), ("烟雾报警器一直响，没有着火", "fire_safety", "normal"),
])
def test_real_rasa_reads_the_kinds_of_report_earlier_rounds_got_wrong(parser, text, category, urgency) -> None:
    parse = parser.parse(text)
    assert (parse.intent, parse.category, parse.urgency) == (Intent.REPORT_PROBLEM, Category(category), Priority(urgency))


@pytest.mark.parametrize("text", [
    "add light bulbs, a plunger and bin bags to my shopping list", "I'm heading to bed, please switch the hallway lights off",
    "the air con in my car only blows warm air", "车里的空调不制冷了", "how do you say the toilet is blocked in French",
    "哪个牌子的水龙头最好用",
])
def test_real_rasa_keeps_lists_commands_cars_and_questions_out_of_reports(parser, text) -> None:
    assert parser.parse(text).intent == Intent.OUT_OF_SCOPE
