"""Parley's benchmark: generated data at three scales, five operation shapes, PostGraphile as peer.

Run it with ``make bench`` (``SCALE=S|M|L``) or ``python -m bench --help``.
"""
