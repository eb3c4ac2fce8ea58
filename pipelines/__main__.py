"""`python -m pipelines` is the `hyte` command."""

import sys

from pipelines.cli import main

sys.exit(main())
