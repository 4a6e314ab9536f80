"""``python -m app.cli`` runs the ``nianbao`` command (where the console script is absent)."""
import sys

from app.cli import main

sys.exit(main())
