"""``python -m myoqa``: the same as the ``myoqa`` command."""

import sys

from myoqa.cli import main

sys.exit(main())
