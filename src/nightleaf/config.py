"""Settings from the environment: NIGHTLEAF_DATABASE_URL, NIGHTLEAF_HOME and the web's upload
limits (NIGHTLEAF_MAX_UPLOAD_MB, NIGHTLEAF_MAX_RESTORE_MB)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PORT = 8765


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NIGHTLEAF_", extra="ignore")

    database_url: str | None = None
    home: Path | None = None
    #: the largest wearable export the web accepts (MB; NIGHTLEAF_MAX_UPLOAD_MB): the importers
    #: read up to 4 GiB in bounded memory
    max_upload_mb: int = Field(default=4096, ge=1, le=65536)
    #: the largest journal JSON backup the web restores (MB; NIGHTLEAF_MAX_RESTORE_MB): it is
    #: parsed whole, so its memory grows with it (about 3x the file)
    max_restore_mb: int = Field(default=64, ge=1, le=4096)

    @property
    def data_dir(self) -> Path:
        return self.home if self.home is not None else Path(user_data_dir("nightleaf", False))

    def resolved_database_url(self, override: str | None = None) -> str:
        if override:
            return override
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'journal.db'}"


def database_url(override: str | None = None) -> str:
    return Settings().resolved_database_url(override)
