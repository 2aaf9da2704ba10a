"""Importers and exporters: translate files <-> domain objects."""
