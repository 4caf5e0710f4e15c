"""The poll thread of a shared session: it applies the operations other kernels wrote, every
``interval`` seconds, or as soon as the store's listener (PostgreSQL LISTEN/NOTIFY) says one is
in; plain polling stays the fallback when there is no listener or it fails."""

from __future__ import annotations

from corral.core.validate import warn
from corral.labels.store.base import StoreError


def poll(ref, stop, interval: float, listener) -> None:
    """Run until ``stop`` is set or the session (held weakly by ``ref``) is gone."""
    try:
        while not stop.is_set():
            if listener is None:
                stop.wait(interval)
            else:
                try:
                    listener.wait(interval)
                except StoreError:  # back to plain polling
                    listener.close()
                    listener = None
            session = ref()
            if session is None or stop.is_set():
                return
            try:
                if session.store.head() > session.seen:
                    session.sync()
            except Exception as e:  # keep polling; report once
                if session.poll_error is None:
                    warn(f"{session.store.name}: could not read others' operations: {e}")
                session.poll_error = e
            del session
    finally:
        if listener is not None:
            listener.close()
