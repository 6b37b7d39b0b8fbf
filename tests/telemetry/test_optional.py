"""OpenTelemetry stays optional: never imported by us, whether it is installed or not."""

from __future__ import annotations

import os
import subprocess
import sys

from replicate_ext.testing import LocalServer

# Runs the calls that open units of work (run, stream, use, wait, batch), then
# prints what of OpenTelemetry got imported, or was asked for.
WORK = """
import sys
import replicate_ext

client = replicate_ext.Client(poll_interval=0.01)
assert client.run("replicate/hello-world", input={"text": "a"}) == "hello a"
assert "".join(map(str, client.stream("replicate/stream-tokens", input={"prompt": "b"}))) == "b"
assert client.use("replicate/hello-world")(text="c") == "hello c"
client.wait(client.predictions.create(model="replicate/hello-world", input={"text": "d"}))
assert [r.ok for r in client.run_batch("replicate/hello-world", [{"text": "e"}])] == [True]
print("imported:", *sorted(m for m in sys.modules if m.split(".")[0] == "opentelemetry"))
"""

# A meta path finder that refuses opentelemetry, as if it were not installed,
# and writes down every attempt to import it.
ABSENT = """
import sys

asked = []


class Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "opentelemetry":
            asked.append(name)
            raise ImportError(f"No module named {name!r} (blocked)")
        return None


sys.meta_path.insert(0, Absent())
"""


def run(server: LocalServer, code: str) -> str:
    env = dict(os.environ, REPLICATE_API_TOKEN=server.token, REPLICATE_BASE_URL=server.base_url)
    env.pop("REPLICATE_EXT_LOG", None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_nothing_is_imported_or_even_asked_for_when_opentelemetry_is_absent(
    fresh_replicate_server: LocalServer,
) -> None:
    out = run(fresh_replicate_server, ABSENT + WORK + "print('asked:', asked)\n")
    imported, asked = out.splitlines()[-2:]
    assert imported == "imported:"
    assert asked == "asked: []"


def test_an_installed_opentelemetry_is_left_unimported(
    fresh_replicate_server: LocalServer,
) -> None:
    # Importing it costs tens of milliseconds: only an application that set a
    # tracer provider (and so imported it) pays that.
    __import__("opentelemetry.trace")  # installed here, for the tests
    assert run(fresh_replicate_server, WORK).splitlines()[-1] == "imported:"
