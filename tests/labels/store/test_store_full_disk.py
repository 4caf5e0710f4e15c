"""A SQLite label store on a full disk: a clear error, the operation not reported done, nothing
already reported lost, and the same session labels again once space is freed.

The disk is a real one: a small tmpfs mounted for the test (the tests run as root). Where mounting
is not permitted the test says so and uses SQLite's ``max_page_count`` instead, which makes SQLite
meet the same SQLITE_FULL error; it never skips.
"""

import contextlib
import os
import subprocess
import warnings

import numpy as np
import pytest

from corral import Labeler
from corral.labels.session import LabelSession
from corral.labels.store import StoreError

N = 4_000
TEXTS = [f"text number {i}" for i in range(N)]
COORDS = np.random.default_rng(0).normal(size=(N, 2))


@contextlib.contextmanager
def small_disk(root, size="4m"):
    """A ``size`` tmpfs mounted at ``root/disk`` (yields its path), or None when mounting is refused."""
    disk = os.path.join(root, "disk")
    os.mkdir(disk)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", disk],
                          capture_output=True, text=True)
    if done.returncode != 0:
        warnings.warn(f"cannot mount a tmpfs ({done.stderr.strip()}): the full disk is SQLite's max_page_count")
        yield None
        return
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", disk], check=True)


def _fill(disk, store):
    """Leave (almost) no space: a filler file on the tmpfs, or a page limit at the store's size."""
    if disk is None:
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages + 1}")
        return lambda: store._db.execute("PRAGMA max_page_count = 1073741823")
    filler = os.path.join(disk, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        with contextlib.suppress(OSError):  # write until the disk refuses
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)
    assert os.statvfs(disk).f_bavail == 0
    return lambda: os.remove(filler)


def test_full_disk_reports_loses_nothing_and_recovers(tmp_path):
    rng = np.random.default_rng(3)
    with small_disk(str(tmp_path)) as disk:
        target = os.path.join(disk if disk is not None else str(tmp_path), "labels.db")
        lab = Labeler(TEXTS, coords=COORDS, autosave=target, annotator="ana")
        lab._session._stop.set()
        mirror = LabelSession(N)  # what the reported operations give, computed without a store
        for i in range(3):
            idx = np.sort(rng.choice(N, size=1500, replace=False))
            lab.assign(idx, f"l{i}")
            mirror.assign(idx, f"l{i}")
        lab.undo()
        mirror.undo()
        free = _fill(disk, lab.session.store)
        failed = None
        for i in range(200):  # each operation writes a few kB: the disk fills within a few
            idx = np.sort(rng.choice(N, size=2000, replace=False))
            before = (lab.labels.copy(), len(lab.history))
            try:
                lab.assign(idx, f"m{i}")
            except StoreError as e:
                failed = e
                break
            mirror.assign(idx, f"m{i}")
        assert failed is not None, "the disk never filled"
        message = str(failed)
        assert "disk is full" in message and "labels.db" in message and "did not happen" in message
        # not reported done: the session's labels and history are as before the call
        assert lab.labels.equals(before[0]) and len(lab.history) == before[1]
        assert lab.session.store.head() == len(mirror.history)
        assert lab.session.labels().tolist() == mirror.labels().tolist()
        free()
        # the same session goes on once there is room again, undo included
        idx = np.arange(0, N, 3)
        lab.assign(idx, "after")
        mirror.assign(idx, "after")
        lab.undo()
        mirror.undo()
        lab.redo()
        mirror.redo()
        lab.session.close()
        again = Labeler(TEXTS, coords=COORDS, autosave=target, annotator="ana")
        again._session._stop.set()
        assert again.session.labels().tolist() == mirror.labels().tolist()
        assert again.history["kind"].tolist() == [op.kind for op in mirror.history]
        assert again.history["label"].tolist() == [op.label for op in mirror.history]
        again.session.close()


def test_a_size_limit_gives_the_same_clear_error(tmp_path):
    """The message is the same whatever SQLite step met the full disk (append or commit)."""
    from corral.labels.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "x.db")
    store.create({"n": 1})
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="disk is full"):
        store.append_durably({"op": "assign", "time": 0.0, "label": "a", "indices": np.sort(np.random.default_rng(0).choice(10**6, 10**5, replace=False)),
                              "count": 1})
    assert store.head() == 0
    store.close()
