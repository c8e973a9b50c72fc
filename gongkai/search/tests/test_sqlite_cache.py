"""GONGKAI_SQLITE_CACHE_MB: each SQLite connection's own page cache (docs/search.md)."""

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from gongkai.settings.env import SettingError, database_from_env


@pytest.fixture
def pragmas(django_db_blocker):
    """The page cache and journal mode of a connection Django opens with a config."""

    def read(config):
        settings = {
            "TIME_ZONE": None,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "CONN_HEALTH_CHECKS": False,
            **config,
        }
        with django_db_blocker.unblock():
            return _read(DatabaseWrapper(settings))

    return read


def _read(wrapper):
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
    finally:
        wrapper.close()
    return cache, journal


def test_a_cache_size_is_set_on_every_connection_and_connections_are_kept(
    tmp_path, monkeypatch, pragmas
):
    monkeypatch.setenv("GONGKAI_SQLITE_CACHE_MB", "64")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(tmp_path)
    assert config["NAME"] == str(tmp_path / "gongkai.sqlite3")
    assert config["CONN_MAX_AGE"] == 60
    assert pragmas(config) == (-64 * 1024, "wal")


def test_a_sqlite_url_gets_the_same_options(tmp_path, monkeypatch, pragmas):
    monkeypatch.setenv("GONGKAI_SQLITE_CACHE_MB", "8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    config = database_from_env(tmp_path)
    assert config["NAME"] == str(tmp_path / "other.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert pragmas(config) == (-8 * 1024, "wal")


def test_without_the_setting_sqlite_keeps_its_own_cache_and_closes_connections(
    tmp_path, monkeypatch, pragmas
):
    monkeypatch.delenv("GONGKAI_SQLITE_CACHE_MB", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(tmp_path)
    assert config["CONN_MAX_AGE"] == 0
    assert pragmas(config) == (-2000, "wal")  # SQLite's default: 2,000 KiB


@pytest.mark.parametrize("value", ["-5", "lots"])
def test_a_bad_cache_size_is_refused_with_a_message(tmp_path, monkeypatch, value):
    monkeypatch.setenv("GONGKAI_SQLITE_CACHE_MB", value)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(SettingError, match="GONGKAI_SQLITE_CACHE_MB"):
        database_from_env(tmp_path)
