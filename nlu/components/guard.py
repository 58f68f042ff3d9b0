"""IntentGuard: after the classifier and the extractor, lets lexical evidence overrule an unsure intent."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY,
                                      PREDICTED_CONFIDENCE_KEY, TEXT)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.extractor import load_lexicon, persist_lexicon
from nlu.extract import from_entities
from nlu.guard import guard_intent
from nlu.lexicon import Lexicon


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentGuard(GraphComponent, IntentClassifier):
    """Runs nlu.guard.guard_intent on the classifier's answer and RepairEntityExtractor's entities."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 lexicon: Optional[Lexicon] = None) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.lexicon = lexicon or Lexicon({}, {})

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentGuard:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self.lexicon = persist_lexicon(training_data, self._model_storage, self._resource)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> IntentGuard:
        return cls(config, model_storage, resource, load_lexicon(model_storage, resource))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name, confidence = intent.get(INTENT_NAME_KEY), float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            if not name:
                continue
            found = from_entities(message.get(ENTITIES) or [])
            ranking = {r[INTENT_NAME_KEY]: float(r[PREDICTED_CONFIDENCE_KEY]) for r in message.get(INTENT_RANKING_KEY) or []}
            guarded, guarded_confidence = guard_intent(name, confidence, message.get(TEXT) or "", self.lexicon, found,
                                                       ranking)
            if guarded != name:
                message.set(INTENT, {INTENT_NAME_KEY: guarded, PREDICTED_CONFIDENCE_KEY: guarded_confidence},
                            add_to_output=True)
        return messages
