"""Drive domain.reporting as the bot does, with the rules parser and a fake knowledge base: text in, outcomes out."""
from __future__ import annotations

from dataclasses import dataclass, field

from domain import reporting
from domain.estate import Building, Estate
from domain.reporting import answers as a
from domain.reporting import outcomes as o
from domain.reporting.draft import Draft, Suggestion
from domain.values import Category, Location
from nlu.answers import AnswerReader
from nlu.rules import RulesParser

PARSER, READER = RulesParser(), AnswerReader()
ESTATE = Estate("sunrise", "Sunrise", tuple(Building(str(n), f"{n}号楼", ("1", "2")) for n in range(1, 13))
                + (Building("B", "B座"),),
                shared_areas=frozenset({"北门", "大门", "车库", "地下车库", "花园", "main gate", "car park", "garden"}),
                unit_areas=frozenset({"楼道", "楼梯间", "电梯", "stairwell", "corridor", "lift"}))
HOME = Location("3", "2", "1801")
TOWER_B = Location("B", None, "1208")


def read(text: str) -> reporting.Reading:
    return READER.reading(PARSER.parse(text))


@dataclass
class FakeKnowledgeBase:
    """Articles by category: a tip to try, or (for gas) safety steps."""

    articles: dict[Category, Suggestion] = field(default_factory=lambda: {
        Category.PLUMBING: Suggestion("tap-dripping"), Category.GAS: Suggestion("gas-smell", danger=True)})
    asked: int = 0

    def best_for(self, draft: Draft) -> Suggestion | None:
        self.asked += 1
        return self.articles.get(draft.category) if draft.category else None


@dataclass
class Conversation:
    draft: Draft | None
    outcomes: list[o.Outcome]
    ended: o.Outcome | None = None

    @property
    def last(self) -> o.Outcome:
        return self.ended or self.outcomes[-1]

    @property
    def filed(self) -> bool:
        return isinstance(self.last, o.SubmitNow)


def converse(first: str, *answers: str | a.Answer, homes: tuple[Location, ...] = (HOME,),
             kb: FakeKnowledgeBase | None = None) -> Conversation:
    """The first message, then each answer (text is read by the NLU; anything else is a button)."""
    kb = kb if kb is not None else FakeKnowledgeBase()
    ctx = reporting.Context(ESTATE, homes)
    conversation = Conversation(None, [])
    draft, outcome = _step(reporting.start(read(first), ctx), ctx, kb)
    conversation.draft, conversation.outcomes = draft, [outcome]
    for given in answers:
        if isinstance(outcome, o.SubmitNow):
            raise AssertionError(f"the report was already filed before {given!r}")
        answer = a.Said(read(given)) if isinstance(given, str) else given
        result = reporting.apply(draft, answer, ctx)
        if isinstance(result, (o.Cancelled, o.Deflected)):
            conversation.ended, conversation.draft = result, None
            return conversation
        if isinstance(answer, a.AddPhoto):  # the bot acknowledges a photo and asks nothing new
            draft, outcome = result, o.PhotoAdded(count=len(result.photos), step=result.step)
        else:
            draft, outcome = _step(result, ctx, kb)
        conversation.draft = draft
        conversation.outcomes.append(outcome)
    return conversation


def _step(draft: Draft, ctx: reporting.Context, kb: FakeKnowledgeBase) -> tuple[Draft, o.Outcome]:
    if reporting.wants_suggestion(draft):
        draft = reporting.with_suggestion(draft, kb.best_for(draft))
    return reporting.next_step(draft, ctx)
