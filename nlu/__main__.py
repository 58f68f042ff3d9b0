"""Entry point for `python -m nlu`."""
import sys

from nlu.cli import main

sys.exit(main())
