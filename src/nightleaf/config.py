"""Settings from the environment: NIGHTLEAF_DATABASE_URL and NIGHTLEAF_HOME."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PORT = 8765


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NIGHTLEAF_", extra="ignore")

    database_url: str | None = None
    home: Path | None = None

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
