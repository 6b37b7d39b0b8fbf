"""run_batch(journal=PATH): a batch run again with its journal resumes; nothing is paid twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import pytest

import replicate_ext
from replicate_ext import BatchProgress, ModelError, PredictionCanceled, _default
from replicate_ext._journal import Journal

from .conftest import jobs, running

if TYPE_CHECKING:
    from replicate_ext import AsyncClient, Client
    from replicate_ext.testing import LocalServer

HELLO = "replicate/hello-world"
SLEEP = "replicate/sleep"
SLOW = {"seconds": 3000}  # 30 s at the fixture's speed: still running when interrupted
CREATE_HELLO = "/v1/models/replicate/hello-world/predictions"


def names(count: int) -> list[dict[str, Any]]:
    return [{"text": f"n{i}"} for i in range(count)]


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def journal_with(path: Path, ref: str, inputs: list[dict[str, Any]], *records: dict) -> None:
    """A journal for `inputs` of `ref` holding `records` after its header (a killed run's)."""
    Journal.open(path, ref, inputs).close()
    with path.open("a") as file:
        for record in records:
            file.write(json.dumps(record) + "\n")


def create(client: Client, ref: str, input: dict[str, Any]) -> str:
    """A prediction made outside the batch (as a killed run's creation left it); its id."""
    return client.predictions.create(model=ref, input=input).id


# -- reruns reuse what the journal holds ------------------------------------------------------


def test_rerunning_a_finished_batch_creates_nothing_and_gives_the_same_results(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    first = client.run_batch(HELLO, names(6), journal=journal, rate_limit=None)
    made = len(jobs(server))
    assert made == 6
    seen: list[BatchProgress] = []
    again = client.run_batch(HELLO, names(6), journal=journal, progress=seen.append)
    assert len(jobs(server)) == made
    assert [r.output for r in again] == [r.output for r in first]
    assert [r.prediction_id for r in again] == [r.prediction_id for r in first]
    assert all(r.reused for r in again)
    assert not any(r.reused for r in first)
    # Progress starts from what the journal has: every result, in order, at once.
    assert [(p.done, p.total, p.result.index) for p in seen] == [(i, 6, i - 1) for i in range(1, 7)]


async def test_the_async_client_resumes_from_the_same_journal(
    server: LocalServer, async_client: AsyncClient, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    client.run_batch(HELLO, names(4), journal=journal, rate_limit=None)
    again = await async_client.run_batch(HELLO, names(4), journal=journal)
    assert len(jobs(server)) == 4
    assert [r.output for r in again] == [f"hello n{i}" for i in range(4)]


@pytest.fixture
def default_env(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    monkeypatch.setenv("REPLICATE_API_TOKEN", server.token)
    monkeypatch.setenv("REPLICATE_BASE_URL", server.base_url)
    monkeypatch.setattr(_default, "_client", None)
    monkeypatch.setattr(_default, "_async_clients", type(_default._async_clients)())
    yield server
    if _default._client is not None:
        _default._client.close()


def test_module_level_run_batch_takes_a_journal(default_env: LocalServer, tmp_path: Path) -> None:
    journal = str(tmp_path / "batch.journal")
    replicate_ext.run_batch(HELLO, names(3), journal=journal, rate_limit=None)
    again = replicate_ext.run_batch(HELLO, names(3), journal=journal)
    assert len(jobs(default_env)) == 3
    assert [r.reused for r in again] == [True] * 3


async def test_module_level_async_run_batch_takes_a_journal(
    default_env: LocalServer, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    await replicate_ext.async_run_batch(HELLO, names(3), journal=journal, rate_limit=None)
    again = await replicate_ext.async_run_batch(HELLO, names(3), journal=journal)
    assert len(jobs(default_env)) == 3
    assert [r.output for r in again] == ["hello n0", "hello n1", "hello n2"]


def test_a_failed_prediction_is_a_final_result_with_the_same_error(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"message": "boom"}]
    (first,) = client.run_batch("replicate/fail", inputs, journal=journal)
    (again,) = client.run_batch("replicate/fail", inputs, journal=journal)
    assert len(jobs(server)) == 1
    assert isinstance(again.error, ModelError)
    assert str(again.error) == str(first.error)
    assert again.error.prediction_id == first.prediction_id
    assert again.error.error == "boom"


def test_inputs_that_made_no_prediction_run_again(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"text": "ok"}, {}]  # the second is refused (422): nothing was made, or paid
    client.run_batch(HELLO, inputs, journal=journal)
    before = len(server.state.requests)
    ok, refused = client.run_batch(HELLO, inputs, journal=journal)
    assert ok.reused
    assert not refused.reused
    assert refused.error.status == 422
    creations = [r for r in server.state.requests[before:] if r.method == "POST"]
    assert len(creations) == 1  # the refused one only
    assert len(jobs(server)) == 1


def test_file_outputs_come_back_as_file_outputs(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    (first,) = client.run_batch("replicate/make-image", [{"num_outputs": 2}], journal=journal)
    (again,) = client.run_batch("replicate/make-image", [{"num_outputs": 2}], journal=journal)
    assert again.reused
    assert all(isinstance(item, replicate_ext.FileOutput) for item in again.output)
    assert again.output == first.output
    assert again.output[0].read() == first.output[0].read()


# -- a journal is for one batch -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "inputs", "message"),
    [
        (SLEEP, names(3), "for another model (replicate/hello-world, not replicate/sleep)"),
        (HELLO, names(4), "for 3 inputs, not these 4"),
        (HELLO, [{"text": "n0"}, {"text": "n2"}, {"text": "n1"}], "not the same ones"),
    ],
)
def test_a_journal_of_another_batch_is_refused_before_any_request(
    server: LocalServer, client: Client, tmp_path: Path, ref: str, inputs: list, message: str
) -> None:
    journal = tmp_path / "batch.journal"
    client.run_batch(HELLO, names(3), journal=journal)
    before = len(server.state.requests)
    with pytest.raises(ValueError, match="restart=True") as refused:
        client.run_batch(ref, inputs, journal=journal)
    assert message in str(refused.value)
    assert len(server.state.requests) == before


def test_restart_starts_over_and_cancels_what_the_old_journal_waited_for(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    old_inputs = [SLOW, SLOW]
    running_id = create(client, SLEEP, SLOW)
    journal_with(journal, SLEEP, old_inputs, {"e": "id", "i": 0, "id": running_id})
    results = client.run_batch(HELLO, names(2), journal=journal, restart=True)
    assert [r.output for r in results] == ["hello n0", "hello n1"]
    assert server.state.predictions[running_id].status == "canceled"
    assert lines(journal)[0]["ref"] == HELLO


def test_a_journal_is_checked_like_the_other_arguments(client: Client, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="give the journal's path"):
        client.run_batch(HELLO, names(1), restart=True)
    with pytest.raises(TypeError, match="journal must be a file path"):
        client.run_batch(HELLO, names(1), journal=3)  # type: ignore[typeddict-item]
    with pytest.raises(ValueError, match="is a directory"):
        client.run_batch(HELLO, names(1), journal=tmp_path)


# -- what a killed run left behind ---------------------------------------------------------------


def test_a_recorded_prediction_is_waited_for_not_created_again(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"seconds": 20}, {"seconds": 21}]
    left_running = create(client, SLEEP, inputs[1])
    journal_with(journal, SLEEP, inputs, {"e": "id", "i": 1, "id": left_running})
    results = client.run_batch(SLEEP, inputs, journal=journal, rate_limit=None)
    assert results[1].prediction_id == left_running
    assert results[1].output == "slept for 21 seconds"
    assert len(jobs(server)) == 2


def test_a_creation_sent_without_its_answer_recorded_is_adopted(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"seconds": 20}, {"seconds": 21}]
    sent = time.time()
    made = create(client, SLEEP, inputs[0])
    journal_with(journal, SLEEP, inputs, {"e": "send", "i": 0, "t": sent})
    results = client.run_batch(SLEEP, inputs, journal=journal, rate_limit=None)
    assert results[0].prediction_id == made
    assert len(jobs(server)) == 2
    adopted = [line for line in lines(journal) if line.get("adopted")]
    assert adopted == [{"e": "id", "i": 0, "id": made, "adopted": True}]


def test_identical_inputs_each_adopt_their_own_and_never_one_already_taken(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    same = {"seconds": 5}
    inputs = [same, same, same, same]
    sent = time.time()
    done_id = create(client, SLEEP, same)  # input 0's, already recorded as its own
    twins = [create(client, SLEEP, same) for _ in range(2)]
    journal_with(
        journal,
        SLEEP,
        inputs,
        {"e": "send", "i": 0, "t": sent},
        {"e": "id", "i": 0, "id": done_id},
        {"e": "send", "i": 1, "t": sent},
        {"e": "send", "i": 2, "t": sent},
        {"e": "send", "i": 3, "t": sent},
    )
    results = client.run_batch(SLEEP, inputs, journal=journal, rate_limit=None)
    ids = [r.prediction_id for r in results]
    assert ids[0] == done_id
    assert sorted(ids[1:3]) == sorted(twins)
    # Nothing was left for input 3: it was created, once.
    assert len(set(ids)) == 4
    assert len(jobs(server)) == 4


def test_a_canceled_lookalike_is_not_adopted(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"seconds": 20}]
    sent = time.time()
    canceled = create(client, SLEEP, inputs[0])
    client.predictions.cancel(canceled)
    journal_with(journal, SLEEP, inputs, {"e": "send", "i": 0, "t": sent})
    (result,) = client.run_batch(SLEEP, inputs, journal=journal, rate_limit=None)
    assert result.ok
    assert result.prediction_id != canceled
    assert server.state.predictions[canceled].status == "canceled"


def test_a_lookalike_made_long_before_the_send_is_not_adopted(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"seconds": 20}]
    older = create(client, SLEEP, inputs[0])
    # Sent (by our clock) ten minutes after that prediction was made.
    journal_with(journal, SLEEP, inputs, {"e": "send", "i": 0, "t": time.time() + 600})
    (result,) = client.run_batch(SLEEP, inputs, journal=journal, rate_limit=None)
    assert result.prediction_id != older


def test_a_prediction_an_interruption_canceled_runs_again(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"seconds": 20}, {"seconds": 21}]
    canceled = create(client, SLEEP, inputs[0])
    client.predictions.cancel(canceled)
    finished = create(client, SLEEP, inputs[1])
    client.wait(finished)
    journal_with(
        journal,
        SLEEP,
        inputs,
        {"e": "id", "i": 0, "id": canceled},
        {"e": "cancel", "i": 0, "id": canceled},
        {"e": "id", "i": 1, "id": finished},
        # Its cancel came too late: it had finished, and its output is used.
        {"e": "cancel", "i": 1, "id": finished},
    )
    first, second = client.run_batch(SLEEP, inputs, journal=journal, rate_limit=None)
    assert first.ok
    assert first.prediction_id != canceled
    assert second.prediction_id == finished
    assert second.output == "slept for 21 seconds"
    assert len(jobs(server)) == 3


def test_a_torn_last_line_is_dropped_and_cut_off(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    client.run_batch(HELLO, names(2), journal=journal)
    with journal.open("a") as file:
        file.write('{"e": "done", "i": 1, "id": "tor')  # killed mid-write
    again = client.run_batch(HELLO, names(2), journal=journal)
    assert [r.reused for r in again] == [True, True]
    assert journal.read_text().endswith("\n")
    assert all(isinstance(line, dict) for line in lines(journal))


def test_a_damaged_line_before_the_end_is_an_error(client: Client, tmp_path: Path) -> None:
    journal = tmp_path / "batch.journal"
    journal_with(journal, HELLO, names(2))
    with journal.open("a") as file:
        file.write("garbage\n" + json.dumps({"e": "none", "i": 0}) + "\n")
    with pytest.raises(ValueError, match="damaged at line 2"):
        client.run_batch(HELLO, names(2), journal=journal)


def test_one_journal_runs_in_one_batch_at_a_time(client: Client, tmp_path: Path) -> None:
    journal = tmp_path / "batch.journal"
    held = Journal.open(journal, HELLO, names(1))
    try:
        with pytest.raises(OSError, match="in use by another batch"):
            client.run_batch(HELLO, names(1), journal=journal)
    finally:
        held.close()


# -- answers lost during the run, and interruptions ----------------------------------------------


def test_a_creation_whose_answer_is_lost_is_adopted_not_made_again(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    # The server makes the prediction, then cuts the answer off.
    server.state.inject_fault("drop_after", CREATE_HELLO, method="POST", times=2)
    journal = tmp_path / "batch.journal"
    results = client.run_batch(HELLO, names(5), journal=journal, rate_limit=None)
    assert [r.output for r in results] == [f"hello n{i}" for i in range(5)]
    made = jobs(server)
    assert sorted(job.input["text"] for job in made) == [f"n{i}" for i in range(5)]
    assert {r.prediction_id for r in results} == {job.id for job in made}


def test_ctrl_c_cancels_and_the_next_run_finishes_with_one_result_per_input(
    server: LocalServer, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"seconds": 300 + i} for i in range(6)]  # 3 s each, at first

    def press_ctrl_c() -> None:
        server.state.wait_until(lambda: running(server) >= 3)
        os.kill(os.getpid(), signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            # Answered at once (no Prefer: wait): the batch knows every id to cancel.
            client.run_batch(
                SLEEP, inputs, concurrency=3, rate_limit=None, wait=False, journal=journal
            )
    finally:
        presser.join()
    interrupted = jobs(server)
    assert [job.status for job in interrupted] == ["canceled"] * 3
    assert sum(line.get("e") == "cancel" for line in lines(journal)) == 3

    # The same batch, now quick: each input runs once more (its canceled
    # prediction is not reused), then the journal is complete.
    monkeypatch.setattr(server.state, "speed", 10_000)
    results = client.run_batch(SLEEP, inputs, rate_limit=None, wait=False, journal=journal)
    assert all(r.ok and not r.reused for r in results)
    assert [job.status for job in jobs(server)].count("succeeded") == 6
    assert len(jobs(server)) == 9


def test_a_canceled_result_from_elsewhere_is_final(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"seconds": 3000}]
    pid = create(client, SLEEP, inputs[0])
    journal_with(journal, SLEEP, inputs, {"e": "id", "i": 0, "id": pid})

    def cancel_soon() -> None:
        server.state.wait_until(lambda: len(server.state.requests) > 2)
        client.predictions.cancel(pid)

    canceler = threading.Thread(target=cancel_soon)
    canceler.start()
    (result,) = client.run_batch(SLEEP, inputs, journal=journal, wait=False)
    canceler.join()
    assert isinstance(result.error, PredictionCanceled)
    (again,) = client.run_batch(SLEEP, inputs, journal=journal)
    assert again.reused
    assert isinstance(again.error, PredictionCanceled)
    assert len(jobs(server)) == 1


# -- files saved as they finish ------------------------------------------------------------------


def downloads(server: LocalServer) -> list[str]:
    return [r.path for r in server.state.requests if r.path.startswith("/delivery/")]


class Stop(Exception):
    pass


def test_saved_files_are_complete_and_never_downloaded_again(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal, saved = tmp_path / "batch.journal", tmp_path / "out"
    inputs = [{"color": color} for color in ("red", "green", "blue", "white")]

    def stop_after_two(update: BatchProgress) -> None:
        if update.done == 2:
            raise Stop

    with pytest.raises(Stop):
        client.run_batch(
            "replicate/make-image",
            inputs,
            concurrency=1,
            journal=journal,
            output_dir=saved,
            progress=stop_after_two,
        )
    assert len(downloads(server)) == 2
    (saved / ".2-out-0.png.x1y2.part").write_bytes(b"half a file")  # a killed download
    results = client.run_batch(
        "replicate/make-image", inputs, journal=journal, output_dir=saved, rate_limit=None
    )
    assert [r.reused for r in results] == [True, True, False, False]
    assert len(downloads(server)) == 4
    assert [r.output for r in results] == [[saved / f"{i}-out-0.png"] for i in range(4)]
    assert sorted(p.name for p in saved.iterdir()) == [f"{i}-out-0.png" for i in range(4)]
    for result in results:
        prediction = server.state.predictions[result.prediction_id]
        data, _ = server.state.resolve_file(prediction.output[0])
        assert result.output[0].read_bytes() == data


def test_a_failed_download_is_tried_again_by_the_next_run_without_a_new_prediction(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal, saved = tmp_path / "batch.journal", tmp_path / "out"
    server.state.inject_fault("status", "/delivery/*", status=404, times=1)
    (failed,) = client.run_batch("replicate/make-image", [{}], journal=journal, output_dir=saved)
    assert failed.error is not None
    assert "HTTP 404" in str(failed.error)
    assert list(saved.iterdir()) == []
    (result,) = client.run_batch("replicate/make-image", [{}], journal=journal, output_dir=saved)
    assert result.ok
    assert result.prediction_id == failed.prediction_id
    assert result.output[0].read_bytes().startswith(b"\x89PNG")
    assert len(jobs(server)) == 1


def test_output_dir_without_a_journal_saves_too(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    (result,) = client.run_batch(
        "replicate/make-image", [{"num_outputs": 2}], output_dir=tmp_path / "a" / "b"
    )
    assert [path.name for path in result.output] == ["0-out-0.png", "0-out-1.png"]
    assert all(path.stat().st_size > 0 for path in result.output)


def test_a_failed_download_without_a_journal_keeps_the_outputs_urls(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    # Paid for, and its files kept for an hour: the URLs must not be lost with the error.
    server.state.inject_fault("status", "/delivery/*", status=404, times=None)
    (failed,) = client.run_batch("replicate/make-image", [{}], output_dir=tmp_path / "out")
    assert not failed.ok
    assert "HTTP 404" in str(failed.error)
    prediction = server.state.predictions[failed.prediction_id]
    assert [str(file) for file in failed.output] == prediction.output


def test_a_journal_that_cannot_be_written_stops_the_batch_and_cancels_what_it_started(
    server: LocalServer, tmp_path: Path
) -> None:
    # A real write failure (EFBIG), in a process of its own: the journal may
    # hold its header and its first send lines, and fails at the first id.
    inputs = [{"seconds": 3000 + i} for i in range(40)]
    probe = Journal.open(tmp_path / "probe", SLEEP, inputs)
    probe.sending(range(4))
    probe.close()
    limit = (tmp_path / "probe").stat().st_size + 20
    script = f"""
import errno, resource, signal, sys
import replicate_ext
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
client = replicate_ext.Client({server.token!r}, base_url={server.base_url!r})
try:
    client.run_batch({SLEEP!r}, {inputs!r}, concurrency=4, rate_limit=None, wait=False,
                     journal={str(tmp_path / "j")!r})
except OSError as error:
    sys.exit(7 if error.errno == errno.EFBIG else 8)
sys.exit(0)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 7, done.stderr.decode()[-2000:]
    assert 0 < len(jobs(server)) <= 4
    # What it made, it canceled: nothing runs unwatched.
    assert running(server) == 0


def test_a_cancel_recorded_by_an_interruption_that_lands_late_still_runs_the_input_again(
    server: LocalServer, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Killed while canceling: the journal says so, but the prediction still
    # runs when the batch resumes, and its cancel arrives while it waits.
    journal = tmp_path / "batch.journal"
    inputs = [{"seconds": 300}]  # 3 s, at first
    pid = create(client, SLEEP, inputs[0])
    journal_with(
        journal, SLEEP, inputs, {"e": "id", "i": 0, "id": pid}, {"e": "cancel", "i": 0, "id": pid}
    )

    def cancel_late() -> None:
        server.state.wait_until(lambda: len(server.state.requests) > 2)
        monkeypatch.setattr(
            server.state, "speed", 10_000
        )  # the input's next prediction ends at once
        client.predictions.cancel(pid)

    canceler = threading.Thread(target=cancel_late)
    canceler.start()
    (result,) = client.run_batch(SLEEP, inputs, journal=journal, wait=False)
    canceler.join()
    assert result.ok
    assert result.prediction_id != pid
    assert server.state.predictions[pid].status == "canceled"
    assert len(jobs(server)) == 2


async def test_cancelling_the_task_leaves_a_journal_the_next_run_finishes(
    server: LocalServer, async_client: AsyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"seconds": 300 + i} for i in range(4)]  # 3 s each, at first
    async with anyio.create_task_group() as group:
        group.start_soon(
            lambda: async_client.run_batch(
                SLEEP, inputs, concurrency=2, rate_limit=None, wait=False, journal=journal
            )
        )
        await anyio.to_thread.run_sync(
            lambda: server.state.wait_until(lambda: running(server) >= 2)
        )
        group.cancel_scope.cancel()
    assert running(server) == 0
    monkeypatch.setattr(server.state, "speed", 10_000)
    results = await async_client.run_batch(
        SLEEP, inputs, rate_limit=None, wait=False, journal=journal
    )
    assert [r.output for r in results] == [f"slept for {300 + i} seconds" for i in range(4)]
    assert [job.status for job in jobs(server)].count("succeeded") == 4


def test_any_text_round_trips_through_the_journal(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    inputs = [{"text": 'Zoë 🎉 \u2028 "quoted" \\ back'}, {"text": "日本語"}]
    first = client.run_batch(HELLO, inputs, journal=journal)
    again = client.run_batch(HELLO, inputs, journal=journal)
    assert [r.output for r in again] == [r.output for r in first]
    assert all(r.reused for r in again)
    assert journal.read_bytes().isascii()


def test_a_file_that_is_not_a_journal_is_never_overwritten(client: Client, tmp_path: Path) -> None:
    precious = tmp_path / "results.jsonl"
    precious.write_text('{"index": 0, "output": "keep me"}')  # no newline at the end either
    for restart in (False, True):
        with pytest.raises(ValueError, match="is not a batch journal"):
            client.run_batch(HELLO, names(1), journal=precious, restart=restart)
    assert precious.read_text() == '{"index": 0, "output": "keep me"}'


def test_a_journal_cut_off_inside_its_first_line_starts_anew(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.journal"
    journal.write_text('{"journal":"replicate-ext ba')  # killed while writing the header
    (result,) = client.run_batch(HELLO, names(1), journal=journal)
    assert result.ok
    assert lines(journal)[0]["inputs"] == 1
