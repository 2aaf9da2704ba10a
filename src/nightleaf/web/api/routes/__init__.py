"""One router per resource (as in the full-stack FastAPI template)."""
