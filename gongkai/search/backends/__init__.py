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
