"""Server-rendered web UI (Jinja2 + htmx), calling the same services as the API."""
