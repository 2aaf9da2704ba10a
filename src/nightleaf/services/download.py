"""What a service hands a shell to save or serve: bytes, a suggested file name, a media type.

The web streams it (``Response(content=..., media_type=..., Content-Disposition)``); the CLI
writes it where the person asked (:func:`nightleaf.io.files.write_atomic`). No service and no
route writes a temporary file for a download.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str  # suggested, without a folder
    media_type: str

    def content_disposition(self) -> str:
        """The ``Content-Disposition`` header value for an attachment (RFC 6266 / 5987)."""
        ascii_name = self.filename.encode("ascii", "replace").decode("ascii").replace('"', "")
        return (f'attachment; filename="{ascii_name}"; '
                f"filename*=UTF-8''{quote(self.filename)}")
