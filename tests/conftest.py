"""Session-wide plugins.

The reliability figures plugin is registered here, not in tests/reliability, because
under pytest-xdist the controller loads only this conftest: it is the controller that
adds up the workers' counts and writes `reliability-figures.json`.
"""

from __future__ import annotations

import pytest
from reliability._figures import FiguresPlugin


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("replicate-ext-figures"):
        config.pluginmanager.register(FiguresPlugin(config), "replicate-ext-figures")
