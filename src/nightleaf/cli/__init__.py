"""The command line: Typer + Rich. Thin: parse input, call a service, render the result.

:func:`run` is the ``nightleaf`` entry point. ``nightleaf --version`` is answered here, before
Typer, Rich or any command module is imported; everything else goes to :mod:`nightleaf.cli.main`.
"""

from __future__ import annotations

import sys


def run() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from nightleaf import __version__

        sys.stdout.write(f"nightleaf {__version__}\n")
        sys.exit(0)
    from nightleaf.cli.main import main

    sys.exit(main())
