"""``python -m app.cli`` runs the ``nianbao`` command (where the console script is absent)."""
import sys

from app.cli import main

if __name__ == "__main__":  # importing the module (tests walk every module) must not run it
    sys.exit(main())
