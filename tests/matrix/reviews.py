"""Permission-matrix rows of the `reviews` app (see tests/matrix/__init__.py)."""

from tests.matrix.base import Row

ROWS: list[Row] = []
