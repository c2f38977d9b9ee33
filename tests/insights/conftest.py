"""Fixtures of the insights tests."""

import pytest

from tests.insights.world import build_ecosystem


@pytest.fixture
def ecosystem(db):
    return build_ecosystem()
