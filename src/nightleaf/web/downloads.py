"""Serving a service's :class:`~nightleaf.services.download.Download`: the bytes are the
response body (no temporary file), named by ``Content-Disposition``."""

from __future__ import annotations

from fastapi.responses import Response

from nightleaf.services.download import Download


def send(download: Download) -> Response:
    return Response(content=download.content, media_type=download.media_type,
                    headers={"Content-Disposition": download.content_disposition()})
