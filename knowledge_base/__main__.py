"""`python -m knowledge_base ...`: see knowledge_base.cli."""
import sys

from knowledge_base.cli import main

sys.exit(main())
