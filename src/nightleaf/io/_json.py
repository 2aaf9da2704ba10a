"""Reading JSON export files, one at a time, with messages that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nightleaf.io._common import bad_file


def load_json(data: bytes, name: str | Path) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise bad_file(name, "not UTF-8 text", offset=exc.start,
                       hint="choose the JSON file from the export") from None
    except json.JSONDecodeError as exc:
        raise bad_file(name, f"not valid JSON ({exc.msg})", line=exc.lineno,
                       hint="the file looks damaged or cut short; download it again") from None
