"""`python -m app`: run the service, or one of its command-line tools (see app.cli)."""
from app.cli import main

raise SystemExit(main())
