#!/usr/bin/env python3
"""Render the README's "Reliability" section from the figures a test run wrote.

The reliability suite (tests/reliability) writes `reliability-figures.json` at the
end of every pytest session that runs it (`make test`, `make soak`). This script
turns that file into Markdown:

    scripts/reliability_figures.py                 # print the section
    scripts/reliability_figures.py --run           # run the suite first, then print
    scripts/reliability_figures.py --update README.md

`--update` replaces what lies between the markers
`<!-- reliability-figures:start -->` and `<!-- reliability-figures:end -->`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = ROOT / "reliability-figures.json"
START = "<!-- reliability-figures:start -->"
END = "<!-- reliability-figures:end -->"
# The suite, plus the property tests that live beside the code they check.
SUITE = ["tests/reliability", "tests/test_sse.py", "tests/test_webhooks.py"]

KIND_NAMES = {
    "429": "429 Too Many Requests",
    "5xx": "500/502/503 answers",
    "drop": "connections dropped mid-answer",
    "slow": "answers slower than the read timeout",
    "drop_stream": "event streams cut between events",
    "stream_cut_mid_event": "event streams cut inside an event",
    "restart": "API restarts while a prediction runs",
    "answer_lost": "creation answers lost after the server acted",
    "garbled": "answers that break the API's promises (HTML, missing fields)",
}


def run_suite(soak: bool) -> int:
    env = dict(os.environ)
    if soak:
        env["REPLICATE_EXT_SOAK"] = "1"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SUITE]
    return subprocess.call(command, cwd=ROOT, env=env)


def _n(value: int) -> str:
    return f"{value:,}"


def _short(nodeid: str) -> str:
    path, _, name = nodeid.partition("::")
    return f"`{Path(path).name}::{name}`"


def render(figures: dict[str, Any]) -> str:
    faults = figures["faults"]
    bad = figures["bad_inputs"]
    props = figures["properties"]
    fuzz = figures["fuzz"]
    per_property = [p["examples"] for p in props["tests"]] or [0]
    run = "`make soak`" if figures.get("soak") else "`make test`"
    lines = [
        "## Reliability",
        "",
        f"Measured by the test suite ({run}, {figures['generated_at'][:10]}, Python "
        f"{figures['python']}); regenerate with `scripts/reliability_figures.py --run "
        "--update README.md`.",
        "",
        "| | |",
        "| --- | --- |",
        f"| Faults injected into a local Replicate-compatible server | {_n(faults['injected'])} "
        f"in {_n(faults['scenarios'])} scenarios |",
        f"| Faults survived: the right output or one clear error, never a second "
        f"prediction, the prediction canceled when the client gave up, no connection "
        f"or thread left open | {_n(faults['survived'])} |",
        f"| Bad inputs tried | {_n(bad['tried'])} |",
        f"| Bad inputs refused before any request | {_n(bad['answered_before_any_request'])} |",
        f"| Properties checked with Hypothesis | {_n(props['checked'])} "
        f"({_n(props['passed'])} hold) |",
        f"| Examples run | {_n(props['examples'])} (per property: "
        f"{min(per_property)} to {max(per_property)}, median "
        f"{statistics.median(per_property):g}) |",
        f"| API operations fuzzed with schemathesis | {_n(fuzz['operations'])} "
        f"({_n(fuzz['requests'])} requests; {_n(fuzz['operations_passed'])} with no 5xx "
        "and every answer matching the spec) |",
        "",
        "Faults by kind (injected / survived):",
        "",
    ]
    survived = faults["survived_by_kind"]
    for kind, count in sorted(faults["injected_by_kind"].items(), key=lambda kv: -kv[1]):
        lines.append(f"- {KIND_NAMES.get(kind, kind)}: {_n(count)} / {_n(survived.get(kind, 0))}")
    gaps = bad.get("known_gaps", [])
    if gaps:
        lines += [
            "",
            f"Known gaps, tracked as expected failures until fixed: {len(gaps)} bad inputs "
            "that still reach the API or fail unclearly.",
        ]
    lines += ["", "<details><summary>Examples per property</summary>", ""]
    lines += [
        f"- {_short(p['test'])}: {_n(p['examples'])}{'' if p['passed'] else ' (failing)'}"
        for p in props["tests"]
    ]
    lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def update(readme: Path, section: str) -> None:
    text = readme.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{readme}: add the markers {START} and {END} where the section goes")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    readme.write_text(f"{head}{START}\n{section}{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=None, help="the figures file")
    parser.add_argument("--run", action="store_true", help="run the suite first")
    parser.add_argument("--soak", action="store_true", help="with --run: the long version")
    parser.add_argument("--update", type=Path, metavar="README", help="rewrite its section")
    args = parser.parse_args(argv)
    source = args.json or Path(os.environ.get("REPLICATE_EXT_FIGURES") or DEFAULT_JSON)
    if args.run:
        status = run_suite(args.soak)
        if status != 0:
            print(f"the suite failed (exit {status}); figures not rendered", file=sys.stderr)
            return status
    if not source.exists():
        print(f"{source} not found: run the tests (make test) or pass --run", file=sys.stderr)
        return 1
    section = render(json.loads(source.read_text()))
    if args.update:
        update(args.update, section)
    else:
        sys.stdout.write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
