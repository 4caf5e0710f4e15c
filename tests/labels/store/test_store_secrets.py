"""A PostgreSQL password never shows: not in reprs, errors, logs, warnings or the store itself."""

import logging

import numpy as np
import psycopg
import pytest

from corral import Labeler
from corral.labels.store import StoreError, open_store

SECRET = "Pa55-w0rd-secret"


def test_password_never_appears(postgres_dsn, caplog, recwarn):
    caplog.set_level(logging.DEBUG)
    dsn = postgres_dsn.replace("corral@", f"corral:{SECRET}@")
    lab = Labeler([f"t {i}" for i in range(20)], coords=np.zeros((20, 2)), autosave=dsn)
    lab.annotator = "ana"
    lab.assign([0, 1], "x")
    seen = [repr(lab), str(lab.autosave), repr(lab.autosave), repr(lab.session.store), lab.session.store.name,
            repr(vars(lab.session.store))]
    bad = dsn.rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(StoreError) as error:
        open_store(bad)
    seen.append(str(error.value))
    seen.append(caplog.text)
    seen.extend(str(w.message) for w in recwarn)
    assert "corral:***@" in str(lab.autosave) and "no_such_database" in str(error.value)
    for text in seen:
        assert SECRET not in text
    with psycopg.connect(postgres_dsn) as conn:  # the store's own tables hold no trace of it
        for table in ("corral_meta", "corral_ops", "corral_snapshots"):
            for row in conn.execute(f"SELECT * FROM {table}").fetchall():
                assert SECRET not in repr(row)
    lab.session.close()
