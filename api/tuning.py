"""Process tuning applied once the app has started: garbage collection fit for a server."""

import gc

GEN0_THRESHOLD = 50_000
"""Allocations between young-generation collections (CPython's default is 700)."""


def tune_gc() -> None:
    """Freeze what start-up allocated and collect the young generation less often.

    Modules, the schema and the settings live as long as the process; ``gc.freeze`` moves
    them out of every later collection (and keeps forked workers' pages shared), and a
    request's short-lived dicts rarely survive long enough to need the default cadence.
    """
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
