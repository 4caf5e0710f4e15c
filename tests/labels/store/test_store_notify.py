"""Other kernels learn of an operation without the polling delay: on PostgreSQL a commit sends a
NOTIFY (the operation's seq only) that the poll thread LISTENs for; polling stays the fallback
(SQLite; a failed notification connection)."""

import time

import numpy as np

from corral.labels.shared import SharedSession
from corral.labels.store import StoreError, open_store

N = 50
HEADER = {"n": N, "fingerprint": "f"}


def _wait_for(session, seq, timeout):
    deadline = time.monotonic() + timeout
    while session.seen < seq and time.monotonic() < deadline:
        time.sleep(0.02)
    return session.seen >= seq


def test_postgres_notifies_other_sessions_at_once(postgres_dsn):
    a = SharedSession.open(open_store(postgres_dsn), N, HEADER, poll=None)
    b = SharedSession.open(open_store(postgres_dsn), N, HEADER, poll=None)
    a.start_polling(120)  # a poll every 2 minutes: only a notification can bring b's operations sooner
    time.sleep(0.5)  # the listener is connected
    for i in range(3):
        b.annotator = "ben"
        started = time.monotonic()
        op = b.assign(np.arange(i, i + 10), f"l{i}")
        assert _wait_for(a, op.seq, 30), "a never heard of b's operation"
        assert time.monotonic() - started < 30
    assert a.labels().tolist() == b.labels().tolist()
    a.close()
    b.close()


def test_a_failed_listener_falls_back_to_polling(postgres_dsn, monkeypatch):
    a = SharedSession.open(open_store(postgres_dsn), N, HEADER, poll=None)
    b = SharedSession.open(open_store(postgres_dsn), N, HEADER, poll=None)
    real = a.store.listener

    def broken():
        listener = real()

        def wait(timeout):
            raise StoreError("lost the notification connection: OperationalError")
        listener.wait = wait
        return listener
    monkeypatch.setattr(a.store, "listener", broken)
    a.start_polling(0.2)
    op = b.assign(np.arange(0, 5), "x")
    assert _wait_for(a, op.seq, 30)
    assert a.labels().tolist() == b.labels().tolist()
    a.close()
    b.close()


def test_sqlite_has_no_listener_and_polls(tmp_path):
    path = str(tmp_path / "labels.db")
    a = SharedSession.open(open_store(path), N, HEADER, poll=None)
    b = SharedSession.open(open_store(path), N, HEADER, poll=None)
    assert a.store.listener() is None
    a.start_polling(0.1)
    op = b.assign(np.arange(0, 5), "x")
    assert _wait_for(a, op.seq, 30)
    a.close()
    b.close()
