"""`python -m bot.cli ...`: the `fairsay` command, as the tests and benchmarks run it."""

import sys

from bot.cli.main import main

sys.exit(main())
