"""``python -m kotacerdas``: the command line."""

import sys

from kotacerdas.cli import main

sys.exit(main())
