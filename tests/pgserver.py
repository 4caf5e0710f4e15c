"""A private PostgreSQL server for the tests: Debian's ``postgresql`` package, a fresh cluster in
a temp folder, loopback only, run as the ``postgres`` user when we are root (root cannot run it)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile


def initdb_path() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextlib.contextmanager
def postgres_server(user: str = "corral"):
    """Start a server; yield ``postgresql://corral@127.0.0.1:PORT/postgres``; stop it after."""
    initdb = initdb_path()
    if initdb is None:
        raise RuntimeError("PostgreSQL is not installed: `make test` installs it (apt-get install -y postgresql)")
    bindir = os.path.dirname(initdb)
    root = tempfile.mkdtemp(prefix="corral-pg-")
    data = os.path.join(root, "data")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    run = dict(check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    try:
        subprocess.run(_as_owner([initdb, "-D", data, "-A", "trust", "-U", user, "--no-sync"]), **run)
        subprocess.run(_as_owner([os.path.join(bindir, "pg_ctl"), "-D", data, "-w", "-l", os.path.join(root, "log"),
                                  "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=on", "start"]), **run)
        try:
            yield f"postgresql://{user}@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(_as_owner([os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(dsn: str, name: str) -> str:
    """Create database ``name`` on the server of ``dsn``; return its connection string."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return dsn.rsplit("/", 1)[0] + "/" + name
