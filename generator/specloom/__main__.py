"""`python -m specloom`: the same as the `specloom` command."""

from specloom.cli import run

run()
