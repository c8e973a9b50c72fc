"""A PostgreSQL server of the benchmark's own, set up as a production server would be.

The machine's PostgreSQL (the one the tests use) runs with Debian's defaults: 128 MB of
shared_buffers, which is sized for a small development box. Everything else a search reads then
comes from the operating system's page cache, and on the machines this project is measured on,
that cache does not stay: the kernel pages out file pages not used for a minute (DAMON's
proactive reclaim, `kdamond`). A search at 1,000,000 items then reads part of its index from
disk again, and the wall-clock tail swings from one run to the next (p95 102 and 146 ms for
the same queries on the same index). A production PostgreSQL is given a quarter of the memory
as shared_buffers (PostgreSQL's documentation suggests 25% of RAM to start with); those pages
are shared memory, which the kernel cannot page out without swap, so what the searches use
stays in memory as it would on a production server.

    .venv/bin/python bench/pg_server.py start      # initdb on first use, then start; prints the URL
    .venv/bin/python bench/search_bench.py --pg-url postgres://postgres@127.0.0.1:5433 ...
    .venv/bin/python bench/pg_server.py stop

The cluster lives in var/bench/pg (owned by the postgres user, as PostgreSQL will not run as
root) and listens on 127.0.0.1:5433 only, with trust authentication for local connections, like
the machine's own server. Settings other than those in SETTINGS are PostgreSQL's defaults.
"""

import argparse
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench" / "pg"
PORT = 5433
BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def memory_bytes() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def settings() -> dict[str, str]:
    mb = memory_bytes() // 2**20
    return {
        "listen_addresses": "'127.0.0.1'",
        "port": str(PORT),
        "unix_socket_directories": f"'{DATA}'",
        # A quarter of the memory (24 GB → 6 GB), PostgreSQL's own starting advice.
        "shared_buffers": f"'{mb // 4}MB'",
        # Three quarters: what the planner may assume the caches hold together.
        "effective_cache_size": f"'{mb * 3 // 4}MB'",
        "maintenance_work_mem": "'1GB'",
        # A rebuild writes several GB: fewer forced checkpoints while it does.
        "max_wal_size": "'8GB'",
        "logging_collector": "off",
    }


def tool(name: str) -> str:
    for directory in BIN_DIRS:
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} not found (Debian package postgresql)")
    return found


def as_postgres(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run cmd as the postgres user when this process is root (initdb and postgres refuse
    to run as root)."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, **kwargs)


def initdb() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(DATA, user.pw_uid, user.pw_gid)
    DATA.chmod(0o700)
    as_postgres(
        [
            tool("initdb"),
            "-D",
            str(DATA),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with open(DATA / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# bench/pg_server.py\n")
        for name, value in settings().items():
            conf.write(f"{name} = {value}\n")


def running() -> bool:
    if not (DATA / "PG_VERSION").exists():
        return False
    result = as_postgres(
        [tool("pg_ctl"), "-D", str(DATA), "status"], stdout=subprocess.DEVNULL, check=False
    )
    return result.returncode == 0


def start() -> None:
    if not (DATA / "PG_VERSION").exists():
        initdb()
    if not running():
        as_postgres(
            [tool("pg_ctl"), "-D", str(DATA), "-l", str(DATA / "server.log"), "-w", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(f"postgres://postgres@127.0.0.1:{PORT}")


def stop() -> None:
    if running():
        as_postgres([tool("pg_ctl"), "-D", str(DATA), "-w", "stop"], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("action", choices=["start", "stop", "status", "settings"])
    args = parser.parse_args()
    if args.action == "start":
        start()
    elif args.action == "stop":
        stop()
    elif args.action == "status":
        print("running" if running() else "stopped")
    else:
        for name, value in settings().items():
            print(f"{name} = {value}")


if __name__ == "__main__":
    main()
