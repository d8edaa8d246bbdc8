"""HTTP API (FastAPI): routers and schemas per context, one error handler."""
