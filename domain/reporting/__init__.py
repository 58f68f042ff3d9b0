"""The owner's report conversation, as pure code: a typed draft, typed answers and typed outcomes."""
from domain.reporting.answers import Cue, Field, Reading
from domain.reporting.context import Context
from domain.reporting.dialog import apply, card, next_step, start, wants_suggestion, with_suggestion
from domain.reporting.draft import Draft, Photo, Step, Suggestion, from_data, to_data

__all__ = ["Context", "Cue", "Draft", "Field", "Photo", "Reading", "Step", "Suggestion", "apply", "card", "from_data",
           "next_step", "start", "to_data", "wants_suggestion", "with_suggestion"]
