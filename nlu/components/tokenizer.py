"""A tokenizer for mixed Chinese/English chat: jieba for Chinese runs, whole words for Latin, numbers kept whole."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

import jieba

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

# Jieba alone splits English at every space and returns the spaces as tokens; runs are split first.
PIECES = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+(?:'[A-Za-z]+)?|\d+[A-Za-z]?|[^\s\w]")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MixedTokenizer(Tokenizer):
    """Tokens with character offsets into the original text, for both languages in one message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return None

    @staticmethod
    def required_packages() -> List[Text]:
        return ["jieba"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MixedTokenizer:
        jieba.setLogLevel(60)
        jieba.initialize()  # load the dictionary now, not on the first request
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        tokens: List[Token] = []
        for piece in PIECES.finditer(text):
            if CJK_RUN.match(piece.group()):
                for word, start, _ in jieba.tokenize(piece.group()):
                    tokens.append(Token(word, piece.start() + start))
            else:
                tokens.append(Token(piece.group(), piece.start()))
        return self._apply_token_pattern(tokens)
