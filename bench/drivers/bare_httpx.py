"""The floor under every client's cold start: httpx alone, in our client's virtualenv.

    python bench/drivers/bare_httpx.py import

`import httpx`, an `httpx.Client()` as httpx makes it by default, and the one
request a first `run()` of hello-world needs (its creation with
`Prefer: wait`), timed from before the import to the output read from the
answer. Scenario 1 subtracts it from our cold start: what is left is our own
share (our modules, the generated client, attrs, and the work of our first
call).
"""

import os
import sys
import time

if __name__ == "__main__" and sys.argv[1:2] == ["import"]:
    start = time.perf_counter()
    import httpx

    imported = time.perf_counter()
    client = httpx.Client()
    ready = time.perf_counter()
    response = client.post(
        os.environ["BENCH_BASE_URL"] + "/models/replicate/hello-world/predictions",
        json={"input": {"text": "cold"}},
        headers={"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}", "Prefer": "wait"},
    )
    output = response.json()["output"]
    cold = time.perf_counter()
    import json

    assert output == "hello cold", output
    result = {
        "import_ms": (imported - start) * 1000,
        "ready_ms": (ready - start) * 1000,
        "cold_run_ms": (cold - start) * 1000,
    }
    print("RESULT " + json.dumps(result), flush=True)
