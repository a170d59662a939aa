"""A compiled read path: covered queries answered from plain rows, exactly as Strawberry would.

``coverage`` decides whether an operation is covered, ``specs`` says how each field
is read, ``sql`` holds the statements, ``executor`` builds the response, and ``extension`` is
the schema extension that hooks it in front of Strawberry's executor.
"""

from schema.compiled.extension import STATS, CompiledReads

__all__ = ["STATS", "CompiledReads"]
