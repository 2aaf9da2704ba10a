"""CLI tests use the `cli` fixture from tests/conftest.py."""
