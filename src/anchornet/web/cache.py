"""Computed figures kept between requests, until the data changes.

While `anchornet serve` runs it holds the workspace's database lock, so every change to
the data comes through the app's own POST handlers. The app bumps a data version after
each POST (whatever it changed), and every cached result is keyed by that version: a
figure is never served from before a change.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class ResultCache:
    def __init__(self, size: int = 64):
        self.size = size
        self.version = 0
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def bump(self) -> None:
        """The data may have changed: forget everything computed before."""
        with self._lock:
            self.version += 1
            self._items.clear()

    def get(self, key: Hashable, compute: Callable[[], object]):
        with self._lock:
            full = (self.version, key)
            if full in self._items:
                self._items.move_to_end(full)
                return self._items[full]
            version = self.version
        value = compute()
        with self._lock:
            if version == self.version:  # nothing changed while computing
                self._items[(version, key)] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value
