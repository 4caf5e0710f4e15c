"""The suggestion model kept fresh: one fit per label state, cached, refitted in the background.

A :class:`SuggestionService` watches a :class:`~corral.labels.session.LabelSession`. After a label
operation it waits ``delay`` seconds of quiet (debounce: a burst of operations costs one refit)
and refits the default model in a daemon thread; a label operation never waits for a fit.
:meth:`SuggestionService.get` returns the fit of the *current* labels: from the cache, by joining
the background fit already running for them, or by fitting now when there is none.

>>> import numpy as np
>>> from corral.labels.session import LabelSession
>>> session = LabelSession(6, np.array(["a", "a", "b", "b", None, None], dtype=object))
>>> X = np.array([[0.], [0.2], [1.], [0.8], [0.1], [0.9]])
>>> service = SuggestionService(session, lambda: X, delay=0.05)
>>> first = service.get(cv=2)
>>> service.get(cv=2) is first                      # same labels: the cached fit
True
>>> _ = session.assign([4], "a"); service.get(cv=2) is first
False
>>> service.close()
"""

from __future__ import annotations

import threading
import time
import weakref

from corral.learn.suggestions import Suggestions, fit_suggestions, label_key
from corral.labels.session import LABEL_KINDS


class SuggestionService:
    """Cached, background-refreshed :class:`~corral.learn.suggestions.Suggestions` of a session."""

    def __init__(self, session, embeddings, *, delay: float = 1.0, background: bool = True, cv: int = 5) -> None:
        self.session = session
        self._embeddings = embeddings  # a callable: the Labeler computes them on first use
        self.delay = float(delay)
        self.background = background
        self.cv = cv
        self._lock = threading.Lock()
        self._cache: dict[str, Suggestions] = {}
        self._running: dict[str, threading.Event] = {}
        self._timer: threading.Timer | None = None
        self.last_error: BaseException | None = None
        self._unsubscribe = session.subscribe(self._changed)
        _live.add(self)

    def key(self, model=None, cv: int | None = None, snapshot=None) -> str:
        codes, categories = snapshot if snapshot is not None else (self.session.codes, self.session.categories)
        return label_key(codes, categories, model, self.cv if cv is None else cv)

    def _snapshot(self):
        return self.session.codes.copy(), list(self.session.categories)

    def get(self, model=None, cv: int | None = None) -> Suggestions:
        """The suggestions for the labels as they are now (waits only when no fit of them exists)."""
        cv = self.cv if cv is None else cv
        snapshot = self._snapshot()
        key = self.key(model, cv, snapshot)
        with self._lock:
            found = self._cache.get(key)
            running = self._running.get(key)
        if found is not None:
            return found
        if running is not None and model is None:
            running.wait()
            with self._lock:
                found = self._cache.get(key)
            if found is not None:
                return found
        return self._fit(key, model, cv, snapshot)

    def frame(self, model=None, index=None):
        """:meth:`get`'s suggestion frame on ``index``, warning when there is no model yet."""
        fit = self.get(model)
        fit.warn_notes(only_too_few=True)
        return fit.frame(index)

    def latest(self) -> Suggestions | None:
        """The newest fit of the default model (possibly of older labels), without waiting."""
        with self._lock:
            return self._newest

    _newest: Suggestions | None = None

    def close(self) -> None:
        """Stop watching the session (a pending refit is cancelled)."""
        self._unsubscribe()
        if self._timer is not None:
            self._timer.cancel()

    # -- internals ----------------------------------------------------------------------------
    def _fit(self, key: str, model, cv: int, snapshot) -> Suggestions:
        import numpy as np

        codes, categories = snapshot
        labels = np.array(categories + [None], dtype=object)[codes]
        fitted = fit_suggestions(self._embeddings(), labels, model=model, cv=cv, key=key)
        with self._lock:
            if len(self._cache) > 8:  # old label states are of no use: keep a few
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = fitted
            if model is None:
                self._newest = fitted
        return fitted

    def _changed(self, op) -> None:
        if not self.background or op.kind not in LABEL_KINDS:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.delay, self._kick)
        self._timer.daemon = True
        self._timer.start()

    def _kick(self) -> None:
        """Refit the current labels in this (timer) thread; one refit at a time: changes made
        while one runs are picked up by a further round once it ends (latest labels only)."""
        with self._lock:
            if self._busy:
                self._again = True
                return
            self._busy = True
        while True:
            snapshot = self._snapshot()
            key = self.key(snapshot=snapshot)
            with self._lock:
                todo = key not in self._cache
                done = self._running.setdefault(key, threading.Event()) if todo else None
            if todo:
                try:
                    self._fit(key, None, self.cv, snapshot)
                except Exception as error:  # noqa: BLE001 - kept for the next get(), never raised in a thread
                    self.last_error = error
                finally:
                    with self._lock:
                        self._running.pop(key, None)
                    done.set()
            with self._lock:
                if not self._again:
                    self._busy = False
                    return
                self._again = False

    _busy = False
    _again = False


_live: "weakref.WeakSet[SuggestionService]" = weakref.WeakSet()


def close_all(timeout: float = 120.0) -> None:
    """Stop every service of this process and wait for refits already running (tests call it
    between tests: a fit in a thread must not overlap the next test's warning checks)."""
    services = list(_live)
    for service in services:
        service.close()
    deadline = time.monotonic() + timeout
    while any(s._busy for s in services) and time.monotonic() < deadline:
        time.sleep(0.05)


def for_labeler(labeler, service: SuggestionService | None) -> SuggestionService:
    """``service`` if it watches the Labeler's current session, else a new one (load/resume swap it)."""
    if service is not None and service.session is labeler.session:
        return service
    if service is not None:
        service.close()
    return SuggestionService(labeler.session, lambda: labeler.embeddings)
