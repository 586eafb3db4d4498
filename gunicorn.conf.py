"""gunicorn's settings for the portal. gunicorn reads ./gunicorn.conf.py from the directory it
starts in (the image's /app), so `gunicorn cemsdi_portal.wsgi` there uses this file.

WEB_CONCURRENCY sets the number of worker processes. More than one needs PostgreSQL: on
SQLite, processes wait on one another's writes, and gunicorn refuses to start (on_starting).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"


def sqlite_workers_problem(workers: int, database_url: str | None) -> str | None:
    """Why these workers cannot run on this database, or None when they can."""
    on_sqlite = not database_url or database_url.startswith("sqlite")
    if workers > 1 and on_sqlite:
        return (
            f"{workers} gunicorn workers on SQLite: SQLite serves one process. "
            "Set DATABASE_URL to a PostgreSQL database (postgres://user:password@host:5432/name), "
            "or start a single worker (WEB_CONCURRENCY=1, or --workers 1)."
        )
    return None


def on_starting(server):
    problem = sqlite_workers_problem(server.cfg.workers, os.environ.get("DATABASE_URL"))
    if problem:
        raise RuntimeError(problem)  # gunicorn prints "Error: <problem>" and exits with 1
