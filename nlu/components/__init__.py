"""Custom Rasa components (imported only inside .venv-rasa, Python 3.10, by `rasa train` and `rasa run`)."""
from nlu.components.extractor import RepairEntityExtractor
from nlu.components.guard import IntentGuard
from nlu.components.tokenizer import MixedTokenizer

__all__ = ["IntentGuard", "MixedTokenizer", "RepairEntityExtractor"]
