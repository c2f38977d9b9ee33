"""Permission-matrix rows of the `events` app (see tests/matrix/__init__.py)."""

from tests.matrix.base import Row

ROWS: list[Row] = []
