"""`python -m engine` runs the `ordinance` command line."""

from engine.cli import main

raise SystemExit(main())
