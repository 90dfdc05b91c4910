"""`python -m specloom`: the same as the `specloom` command."""

import sys

from specloom.cli import main

sys.exit(main())
