"""`python -m specwright`: the same as the `specwright` command."""

import sys

from specwright.cli import main

sys.exit(main())
