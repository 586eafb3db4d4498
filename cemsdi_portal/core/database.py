"""Database options the settings apply (imported by settings.py, before apps load)."""

# Seconds a connection waits for another's write to finish before "database is locked".
SQLITE_BUSY_TIMEOUT = 20


def sqlite_options(options: dict) -> dict:
    """SQLite's options for a portal that writes from more than one thread or process.

    Every transaction begins IMMEDIATE, taking the write lock at its start: a transaction that
    read first and then wrote could not wait for another writer (SQLite answers "database is
    locked" at once, busy timeout or not), and every request runs in one (ATOMIC_REQUESTS).
    The busy timeout makes a second writer wait its turn; WAL lets readers go on meanwhile.
    Options from DATABASE_URL's query string win."""
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **options,
    }
