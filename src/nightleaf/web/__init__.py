"""The local web app: FastAPI + Jinja2, server-rendered, calling the same services as the CLI."""
