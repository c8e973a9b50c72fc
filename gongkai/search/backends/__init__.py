"""The index backend for the database in use: SQLite FTS5 or PostgreSQL tsvector + GIN."""

from django.db import connection as default_connection

from .base import SearchBackend


def get_backend(connection=None) -> SearchBackend:
    connection = connection or default_connection
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend(connection)
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend(connection)
    raise NotImplementedError(f"gongkai.search has no backend for {connection.vendor}")


def create_tables(connection) -> None:
    if connection.vendor == "sqlite":
        from .sqlite import create_tables as create
    elif connection.vendor == "postgresql":
        from .postgres import create_tables as create
    else:
        return
    create(connection)


def drop_tables(connection) -> None:
    if connection.vendor == "sqlite":
        from .sqlite import drop_tables as drop
    elif connection.vendor == "postgresql":
        from .postgres import drop_tables as drop
    else:
        return
    drop(connection)
