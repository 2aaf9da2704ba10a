"""Helpers shared by test modules. A test module imports helpers from here, never from another
test module or a conftest (``tests/test_layout.py`` holds this)."""
