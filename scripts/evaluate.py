#!/usr/bin/env python3
"""Score pakus's extraction on the layout zoo and the seeds, from a checkout, installed or not.

    python3 scripts/evaluate.py               # the CI gate's set: tests/layouts and seeds
    python3 scripts/evaluate.py --failures    # and each page's failed checks
    python3 scripts/evaluate.py FOLDER ...    # any folders of labelled pages

The evaluation needs only the standard library, so a fresh clone runs it without a virtual
environment. It exits 1 when the gate's set falls below a floor.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from pakus_cli.evaluate import main  # noqa: E402

sys.exit(main())
