"""`python -m app`: run the service (see app.main)."""
from app.main import main

raise SystemExit(main())
