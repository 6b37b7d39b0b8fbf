"""run_batch is reachable from the clients and the module, with the same behaviour."""

from __future__ import annotations

import replicate_ext


def test_client_method_runs_a_batch_in_order(fresh_replicate_server) -> None:
    server = fresh_replicate_server
    with replicate_ext.Client(server.token, base_url=server.base_url) as client:
        results = client.run_batch(
            "replicate/hello-world", [{"text": str(n)} for n in range(5)], concurrency=2
        )
    assert [r.output for r in results] == [f"hello {n}" for n in range(5)]
    assert server.state.creations["POST /v1/models/{model_owner}/{model_name}/predictions"] == 5


async def test_async_client_method_reports_per_item_errors(fresh_replicate_server) -> None:
    server = fresh_replicate_server
    async with replicate_ext.AsyncClient(server.token, base_url=server.base_url) as client:
        results = await client.run_batch("replicate/hello-world", [{"text": "a"}, {}])
    assert results[0].ok
    assert results[0].output == "hello a"
    assert not results[1].ok
    assert isinstance(results[1].error, replicate_ext.ReplicateError)
    assert results[1].error.status == 422
