"""``python -m stagebrug.matching.engine`` runs the ``stagebrug-match`` command-line tool."""

import sys

from stagebrug.matching.engine.cli import main

sys.exit(main())
