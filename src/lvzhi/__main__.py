"""``python -m lvzhi`` is the ``lvzhi`` command."""

import sys

from lvzhi.cli import main

sys.exit(main())
