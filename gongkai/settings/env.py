"""Reading settings from the environment, with loud errors for bad values.

A town's operator sets a handful of variables; a typo must stop the start-up with one line
that names the variable, never a traceback deep inside Django.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


class SettingError(ImproperlyConfigured):
    pass


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise SettingError(f"环境变量 {name} 未设置 (environment variable {name} is required)")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingError(
        f"环境变量 {name}={value!r} 不是布尔值，请用 true 或 false ({name} must be true or false)"
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingError(
            f"环境变量 {name}={value!r} 不是整数 ({name} must be a whole number)"
        ) from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


SQLITE_OPTIONS = {
    # WAL lets readers run beside the single writer; the busy timeout makes a writer wait for
    # the lock instead of failing with "database is locked"; IMMEDIATE takes the write lock at
    # BEGIN so two writers never deadlock upgrading a read lock.
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_from_env(var_dir: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        path = var_dir / "gongkai.sqlite3"
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    scheme = url.split(":", 1)[0].lower()
    if "://" not in url or scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise SettingError(
            f"DATABASE_URL={url!r} 格式不正确；应为 postgres://用户@主机:端口/库名 或 "
            "sqlite:////绝对路径/文件.sqlite3 (DATABASE_URL must be a postgres:// or sqlite:// URL)"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several types for a bad URL
        raise SettingError(f"DATABASE_URL={url!r} 无法解析：{exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
        config["CONN_MAX_AGE"] = 0
        if not config.get("NAME") or config["NAME"] == ":memory:":
            raise SettingError("DATABASE_URL 的 SQLite 文件路径为空 (sqlite URL needs a file path)")
    elif not config.get("NAME"):
        raise SettingError(f"DATABASE_URL={url!r} 缺少数据库名 (database name missing)")
    return config


def cache_from_env(var_dir: Path) -> dict:
    """CACHE_URL: where the public portal's rendered pages are kept (shared by all workers).

    file:///absolute/dir (the default, under GONGKAI_VAR_DIR/cache), db://table_name (after
    `manage.py createcachetable`), redis://host:port/db, or locmem:// (one process only:
    tests and single-process runs).
    """
    url = os.environ.get("CACHE_URL", "").strip()
    options = {"MAX_ENTRIES": 50_000}
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(var_dir / "cache"),
            "OPTIONS": options,
        }
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep:
        scheme = ""
    if scheme == "file" and rest.startswith("/"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": rest,
            "OPTIONS": options,
        }
    if scheme == "db" and rest:
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest,
            "OPTIONS": options,
        }
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": options}
    raise SettingError(
        f"CACHE_URL={url!r} 格式不正确；应为 file:///绝对路径、db://表名、redis://主机:端口/库 "
        "或 locmem:// (CACHE_URL must be file:///dir, db://table, redis://… or locmem://)"
    )
