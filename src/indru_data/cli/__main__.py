"""`python -m indru_data.cli` runs the command line."""

import sys

from indru_data.cli import main

sys.exit(main())
