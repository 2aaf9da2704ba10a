"""Validate the packaged knowledge files in full and record them as known-good.

Run after editing ``src/nightleaf/knowledge/data/*.toml`` or ``knowledge/schema.py``::

    PYTHONPATH=src python tools/validate_knowledge.py

It rewrites ``src/nightleaf/knowledge/data/validated.json`` (the SHA-256 of each file and of the
schema) only when every file passes pydantic validation and the cross-checks; otherwise it
prints the first problem and exits 2. Until it is re-run the loader validates every file on
each start (correct, only slower), and ``tests/knowledge/test_manifest.py`` fails.
"""

from __future__ import annotations

import sys

from nightleaf.errors import FormatError
from nightleaf.knowledge.loader import MANIFEST, write_manifest

if __name__ == "__main__":
    try:
        write_manifest()
    except FormatError as exc:
        print(f"not recorded: {exc}", file=sys.stderr)
        sys.exit(2)
    print(f"wrote {MANIFEST}")
