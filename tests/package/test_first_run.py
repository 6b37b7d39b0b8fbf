"""What a first `run()` in a fresh process imports: what it needs, and nothing more.

A first `run()` is what a CLI user and a serverless cold start wait for, and
every module it imports is paid for there (issue 25: the schema reader, the
event stream, the resources, every generated model were once among them). The
lists below are the run's whole import graph of our own and the generated
client's modules: a new one on this path should be a decision, made here.
"""

from __future__ import annotations

import json
import subprocess
import sys

from replicate_ext.testing import LocalServer

# Everything of replicate_ext and generated that `import replicate_ext`, a `Client()`
# and one run() of an official model answered within its `Prefer: wait` import.
FIRST_RUN_MODULES = {
    "replicate_ext",
    "replicate_ext._checks",
    "replicate_ext._client",
    "replicate_ext._context",
    "replicate_ext._creation",
    "replicate_ext._errors",
    "replicate_ext._files",
    "replicate_ext._flow",
    "replicate_ext._http",
    "replicate_ext._jobs",
    "replicate_ext._predictions",
    "replicate_ext._refs",
    "replicate_ext._retry",
    "replicate_ext._session",
    "replicate_ext._telemetry",
    "replicate_ext._version",
    "generated",
    "generated.api",
    "generated.api.models",
    "generated.api.models.models_predictions_create",
    "generated.client",
    "generated.errors",
    "generated.models",
    "generated.models.metrics",
    "generated.models.model_prediction_request",
    "generated.models.model_prediction_request_input",
    "generated.models.prediction",
    "generated.models.prediction_input_type_0",
    "generated.models.prediction_status",
    "generated.models.prediction_urls",
    "generated.models.problem",
    "generated.models.source",
    "generated.models.webhook_event",
    "generated.resources",  # the base of `Client`; each resource's module comes on first use
    "generated.types",
}

# Named for the reader: costly, and not needed by a run answered in one request.
NEVER_ON_A_FIRST_RUN = (
    "replicate_ext._schema",  # input checks and docs: use() and the CLI
    "difflib",  # its suggestions for misspelt inputs
    "jsonschema",
    "replicate_ext._events",  # the event stream: only when the wait runs out
    "replicate_ext._sse",
    "replicate_ext._stream",
    "replicate_ext._resources",  # client.predictions, client.models, ...
    "replicate_ext._requester",
    "replicate_ext._pagination",
    "replicate_ext._use",
    "replicate_ext._batch",
    "replicate_ext._journal",
    "replicate_ext._trainings",
    "generated.models.training",
    "generated.models.model_version",
    "generated.models.file",
    "generated.api.predictions.predictions_create",
    "opentelemetry",
    "opentelemetry.trace",
)

PROBE = """
import json, sys
import replicate_ext

client = replicate_ext.Client({token!r}, base_url={base_url!r})
output = client.run("replicate/hello-world", {{"text": "cold"}})
tls = sys.modules["replicate_ext._http"]._tls_contexts
print(json.dumps({{
    "output": output,
    "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("replicate_ext", "generated")),
    "present": [m for m in {never!r} if m in sys.modules],
    "ca_certificates": [c.context.cert_store_stats()["x509_ca"] for c in tls.values()],
}}))
"""


def first_run(server: LocalServer) -> dict[str, object]:
    probe = PROBE.format(token=server.token, base_url=server.base_url, never=NEVER_ON_A_FIRST_RUN)
    # No REPLICATE_EXT_LOG: logging would import what it formats with.
    env = {"PATH": "", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_a_first_run_imports_only_what_it_needs(replicate_server: LocalServer) -> None:
    result = first_run(replicate_server)
    assert result["output"] == "hello cold"
    assert result["present"] == []
    modules = set(result["modules"])  # type: ignore[call-overload]
    assert modules - FIRST_RUN_MODULES == set(), "new on a first run()'s path"
    assert FIRST_RUN_MODULES - modules == set(), "no longer imported: remove them from the list"


def test_a_first_run_over_plain_http_loads_no_certificates(replicate_server: LocalServer) -> None:
    # The TLS context is made with the client's connections, its CA bundle loaded
    # only before a first https request (about 15 ms otherwise).
    assert first_run(replicate_server)["ca_certificates"] == [0]
