"""A pytest plugin that counts what the reliability suite proved and writes the figures.

Registered by `tests/conftest.py`. It sees every test of the session (under pytest-xdist,
each worker counts its own tests and the controller adds the parts up):

* faults: what each test under tests/reliability injected (server faults that fired,
  plus proxy restarts and cut streams the test logs), and whether the test passed;
* bad inputs: tests marked `bad_input`, one input each;
* properties: every Hypothesis test of the session (tests/test_sse.py and
  tests/test_webhooks.py included), with the examples it actually ran, counted by
  wrapping the test's `hypothesis.inner_test`;
* fuzzing: the schemathesis tests of test_fuzz_server.py, one request per example.

At the end of a session that ran reliability tests it writes `reliability-figures.json`
in the root directory (or where `REPLICATE_EXT_FIGURES` says);
`scripts/reliability_figures.py` renders it as the README's "Reliability" section.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

FAULTS_KEY = pytest.StashKey[Counter[str]]()
_HERE = Path(__file__).parent
_FUZZ_FILE = "test_fuzz_server.py"


class _Counting:
    """Wraps a Hypothesis inner test and counts its calls (one per example run)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0

        @functools.wraps(inner)
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return inner(*args, **kwargs)

        self.wrapper = counted


class FiguresPlugin:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.outcomes: dict[str, str] = {}
        self.faults: dict[str, Counter[str]] = {}
        self.bad_inputs: dict[str, bool] = {}
        self.properties: dict[str, int] = {}
        self.fuzz: dict[str, int] = {}
        self.ran_reliability = False

    @staticmethod
    def _key(item: pytest.Item) -> str:
        # schemathesis gives all its items one nodeid; their names tell them apart.
        return f"{item.nodeid.rsplit('::', 1)[0]}::{item.name}"

    @staticmethod
    def _ours(item: pytest.Item) -> bool:
        return Path(str(item.path)).parent == _HERE

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Any:
        from hypothesis import is_hypothesis_test

        function = getattr(item, "obj", None)
        counter: _Counting | None = None
        if function is not None and is_hypothesis_test(function):
            handle = function.hypothesis
            counter = _Counting(handle.inner_test)
            handle.inner_test = counter.wrapper
        try:
            yield
        finally:
            if counter is not None:
                function.hypothesis.inner_test = counter.inner
                if Path(str(item.path)).name == _FUZZ_FILE and self._ours(item):
                    self.fuzz[self._key(item)] = counter.calls
                else:
                    self.properties[self._key(item)] = counter.calls

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report: pytest.TestReport = (yield).get_result()
        # The worst phase wins: a failed teardown (a leak) fails the test.
        key = self._key(item)
        previous = self.outcomes.get(key)
        if report.when == "call" or report.outcome != "passed":
            outcome = report.outcome
            if hasattr(report, "wasxfail"):
                outcome = "xfailed" if report.skipped else "xpassed"
            if previous in (None, "passed") or outcome == "failed":
                self.outcomes[key] = outcome

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> None:
        if not self._ours(item):
            return
        self.ran_reliability = True
        counts = item.stash.get(FAULTS_KEY, None)
        if counts:
            self.faults[self._key(item)] = Counter(counts)
        if item.get_closest_marker("bad_input") is not None:
            self.bad_inputs[self._key(item)] = True

    def figures(self) -> dict[str, Any]:
        def passed(nodeid: str) -> bool:
            return self.outcomes.get(nodeid) == "passed"

        injected: Counter[str] = Counter()
        survived: Counter[str] = Counter()
        for nodeid, counts in self.faults.items():
            injected.update(counts)
            if passed(nodeid):
                survived.update(counts)
        properties = [
            {"test": nodeid, "examples": calls, "passed": passed(nodeid)}
            for nodeid, calls in sorted(self.properties.items())
        ]
        outcomes = Counter(
            outcome
            for nodeid, outcome in self.outcomes.items()
            if nodeid.startswith(_relative(self.config, _HERE))
        )
        return {
            "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
            "soak": os.environ.get("REPLICATE_EXT_SOAK", "") not in ("", "0"),
            "reliability_tests": dict(sorted(outcomes.items())),
            "faults": {
                "scenarios": len(self.faults),
                "scenarios_passed": sum(passed(n) for n in self.faults),
                "injected": sum(injected.values()),
                "survived": sum(survived.values()),
                "injected_by_kind": dict(sorted(injected.items())),
                "survived_by_kind": dict(sorted(survived.items())),
            },
            "bad_inputs": {
                "tried": sum(self.outcomes.get(n) != "skipped" for n in self.bad_inputs),
                "answered_before_any_request": sum(passed(n) for n in self.bad_inputs),
                "known_gaps": sorted(
                    n for n in self.bad_inputs if self.outcomes.get(n) == "xfailed"
                ),
            },
            "properties": {
                "checked": len(properties),
                "passed": sum(p["passed"] for p in properties),
                "examples": sum(p["examples"] for p in properties),
                "tests": properties,
            },
            "fuzz": {
                "operations": len(self.fuzz),
                "operations_passed": sum(passed(n) for n in self.fuzz),
                "requests": sum(self.fuzz.values()),
            },
        }

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        # Under pytest-xdist each worker counts what it ran and leaves its part for
        # the controller, whose session ends after theirs, to add up and write.
        parts = self._parts_dir()
        worker = getattr(self.config, "workerinput", None)
        if worker is not None:
            if self.ran_reliability:
                parts.mkdir(exist_ok=True)
                part = parts / f"{worker['workerid']}.json"
                part.write_text(json.dumps(self._raw()))
            return
        if parts.is_dir():
            for part in sorted(parts.glob("*.json")):
                self._absorb(json.loads(part.read_text()))
                part.unlink()
            parts.rmdir()
        if not self.ran_reliability:
            return
        target = os.environ.get("REPLICATE_EXT_FIGURES") or str(
            Path(str(self.config.rootpath)) / "reliability-figures.json"
        )
        Path(target).write_text(json.dumps(self.figures(), indent=2) + "\n")

    def _parts_dir(self) -> Path:
        return Path(str(self.config.rootpath)) / ".reliability-figures-parts"

    def _raw(self) -> dict[str, Any]:
        return {
            "outcomes": self.outcomes,
            "faults": self.faults,
            "bad_inputs": self.bad_inputs,
            "properties": self.properties,
            "fuzz": self.fuzz,
        }

    def _absorb(self, raw: dict[str, Any]) -> None:
        self.ran_reliability = True
        self.outcomes.update(raw["outcomes"])
        self.faults.update({key: Counter(counts) for key, counts in raw["faults"].items()})
        self.bad_inputs.update(raw["bad_inputs"])
        self.properties.update(raw["properties"])
        self.fuzz.update(raw["fuzz"])


def _relative(config: pytest.Config, path: Path) -> str:
    try:
        return str(path.relative_to(config.rootpath))
    except ValueError:
        return str(path)
