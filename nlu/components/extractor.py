"""Location, category, urgency and ticket references as Rasa entities, from the shared normalizers and lexicon."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.extract import extract, to_entities
from nlu.lexicon import Lexicon

logger = logging.getLogger(__name__)


def persist_lexicon(training_data: TrainingData, model_storage: ModelStorage, resource: Resource) -> Lexicon:
    """The lexicon from the training data's lookup tables and regexes, saved with the model."""
    lookups: Dict[str, List[str]] = {}
    for table in training_data.lookup_tables:
        lookups.setdefault(table["name"], []).extend(table["elements"])
    regexes: Dict[str, List[str]] = {}
    for regex in training_data.regex_features:
        regexes.setdefault(regex["name"], []).append(regex["pattern"])
    with model_storage.write_to(resource) as model_dir:
        rasa.shared.utils.io.dump_obj_as_json_to_file(model_dir / "lexicon.json", {"lookups": lookups, "regexes": regexes})
    return Lexicon(lookups, regexes)


def load_lexicon(model_storage: ModelStorage, resource: Resource) -> Optional[Lexicon]:
    try:
        with model_storage.read_from(resource) as model_dir:
            tables = rasa.shared.utils.io.read_json_file(model_dir / "lexicon.json")
    except ValueError:
        logger.warning("no trained lexicon in %s", resource.name)
        return None
    return Lexicon(tables["lookups"], tables["regexes"])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class RepairEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Deterministic entities: the lexicon comes from the training data's lookup tables and regexes."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        lexicon: Optional[Lexicon] = None,
    ) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.lexicon = lexicon or Lexicon({}, {})

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RepairEntityExtractor:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self.lexicon = persist_lexicon(training_data, self._model_storage, self._resource)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> RepairEntityExtractor:
        return cls(config, model_storage, resource, load_lexicon(model_storage, resource))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = self.add_extractor_name(to_entities(extract(message.get(TEXT) or "", self.lexicon)))
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages
