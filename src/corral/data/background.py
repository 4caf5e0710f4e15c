"""The map's projection, computed in the background: a quick first view at once, the full map later.

>>> import numpy as np
>>> from corral.data.projectors import UMAPProjector
>>> job = BackgroundProjection(UMAPProjector(), np.random.default_rng(0).normal(size=(20, 5)))
>>> job.result().shape, job.ready
((20, 2), True)
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

import numpy as np

from corral.core.validate import warn

_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="corral-projection")


class BackgroundProjection:
    """``projector.first_view(X)`` now, ``projector.fit_transform(X)`` on a background thread.

    ``on_done`` (optional) is called with no argument once the full map is ready; a failed
    projection is reported as a warning and the first view stays in use.
    """

    def __init__(self, projector, X: np.ndarray, on_done: Callable[[], None] | None = None) -> None:
        self.first_view = projector.first_view(X)
        self._on_done = on_done
        self._future: Future = _pool.submit(projector.fit_transform, X)
        self._future.add_done_callback(self._finished)

    @property
    def ready(self) -> bool:
        """Whether the full projection has finished (successfully or not)."""
        return self._future.done()

    @property
    def failed(self) -> bool:
        return self._future.done() and self._future.exception() is not None

    def result(self) -> np.ndarray:
        """The full map (waits for it; raises what the projection raised)."""
        return self._future.result()

    def current(self) -> np.ndarray:
        """The best coordinates available now, without waiting."""
        return self._future.result() if self.ready and not self.failed else self.first_view

    def _finished(self, future: Future) -> None:
        if future.exception() is not None:
            warn(f"the map's projection failed: {future.exception()!r}", RuntimeWarning)
            return
        if self._on_done is not None:
            self._on_done()
