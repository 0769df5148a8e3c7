"""Computed figures kept between requests, until the data changes, and made again in the
background as soon as it does.

While `anchornet serve` runs it holds the workspace's database lock, so every change to
the data comes through the app's own POST handlers. The app bumps a data version after
each POST (whatever it changed), and every cached result is keyed by that version: a
figure is never served from before a change. After each bump (and when the app starts)
the registered warmers compute the most-asked figures again (the whole network's overview,
the public dashboard) in a background thread, so the first visitor after a change rarely
waits for a scan of millions of payments. A request for a figure being computed waits for
that computation instead of starting a second one.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

log = logging.getLogger(__name__)


class _Pending:
    def __init__(self):
        self.done = threading.Event()
        self.value: object = None
        self.error: BaseException | None = None


class ResultCache:
    def __init__(self, size: int = 64):
        self.size = size
        self.version = 0
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._pending: dict[tuple, _Pending] = {}
        self._lock = threading.Lock()
        self._warmers: list[Callable[[], None]] = []
        self._warm_lock = threading.Lock()
        self._warm_again = False
        self._warming = False

    def bump(self) -> None:
        """The data may have changed: forget everything computed before, and warm again."""
        with self._lock:
            self.version += 1
            self._items.clear()
        self.warm()

    def get(self, key: Hashable, compute: Callable[[], object]):
        with self._lock:
            full = (self.version, key)
            if full in self._items:
                self._items.move_to_end(full)
                return self._items[full]
            pending = self._pending.get(full)
            owner = pending is None
            if owner:
                pending = self._pending[full] = _Pending()
        if not owner:  # someone is computing it: wait for theirs
            pending.done.wait()
            if pending.error is None:
                return pending.value
            return self.get(key, compute)
        try:
            pending.value = compute()
        except BaseException as exc:
            pending.error = exc
            raise
        finally:
            with self._lock:
                self._pending.pop(full, None)
                if pending.error is None and full[0] == self.version:  # nothing changed while computing
                    self._items[full] = pending.value
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
            pending.done.set()
        return pending.value

    # -- warming -----------------------------------------------------------------------------
    def add_warmer(self, warmer: Callable[[], None]) -> None:
        """``warmer()`` fills this cache through ``get`` (with its own database cursor)."""
        self._warmers.append(warmer)

    def warm(self) -> None:
        """Run the warmers in a background thread; a change during a run runs them once more."""
        if not self._warmers:
            return
        with self._warm_lock:
            if self._warming:
                self._warm_again = True
                return
            self._warming = True
        threading.Thread(target=self._warm_loop, name="anchornet-warm", daemon=True).start()

    def _warm_loop(self) -> None:
        while True:
            for warmer in self._warmers:
                try:
                    warmer()
                except Exception:  # a warmer failing costs speed, never a page: the request computes
                    log.exception("warming the figures failed")
            with self._warm_lock:
                if not self._warm_again:
                    self._warming = False
                    return
                self._warm_again = False

    def wait_warm(self, timeout: float = 60.0) -> bool:
        """For tests and benchmarks: wait until no warming runs."""
        import time

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._warm_lock:
                if not self._warming:
                    return True
            time.sleep(0.02)
        return False
