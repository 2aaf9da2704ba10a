"""File formats in and out: importers and exporters translate files <-> domain objects."""
