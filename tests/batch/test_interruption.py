"""Interrupting a batch cancels every prediction it started and knows; none is left unseen.

A creation still held by `Prefer: wait` when the interruption comes has no id yet: the
prediction it made cannot be told from a lookalike of another caller's (same model,
same input), so it is named on the interruption, and not canceled.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import pytest

from replicate_ext._batch import BatchProgress

from .conftest import jobs, running

if TYPE_CHECKING:
    from replicate_ext._client import AsyncClient, Client
    from replicate_ext.testing import LocalServer

SLOW = {"seconds": 3000}  # 30 s at the fixture's speed: still running when interrupted


class Stop(Exception):
    pass


def assert_nothing_left_running(server: LocalServer, canceled: int) -> None:
    statuses = [job.status for job in jobs(server)]
    assert "starting" not in statuses
    assert "processing" not in statuses
    assert statuses.count("canceled") == canceled


async def until_running(server: LocalServer, count: int) -> None:
    await anyio.to_thread.run_sync(
        lambda: server.state.wait_until(lambda: running(server) >= count)
    )


async def test_cancelling_the_task_cancels_the_started_predictions(
    server: LocalServer, async_client: AsyncClient
) -> None:
    # Creations answered at once: the ids are known when the interruption comes.
    inputs = [SLOW] * 8  # identical inputs: each prediction is known by its own id
    async with anyio.create_task_group() as group:
        group.start_soon(
            lambda: async_client.run_batch(
                "replicate/sleep", inputs, concurrency=4, rate_limit=None, wait=False
            )
        )
        await until_running(server, 4)
        group.cancel_scope.cancel()
    assert len(jobs(server)) == 4
    assert_nothing_left_running(server, canceled=4)


async def test_cancelling_the_task_during_held_creations_names_what_they_made(
    server: LocalServer, async_client: AsyncClient
) -> None:
    inputs = [SLOW] * 8
    task = asyncio.create_task(
        async_client.run_batch("replicate/sleep", inputs, concurrency=4, rate_limit=None)
    )
    await until_running(server, 4)
    task.cancel()
    with pytest.raises(asyncio.CancelledError) as info:
        await task
    made = {job.id for job in jobs(server)}
    assert len(made) == 4
    assert all(job.status in ("starting", "processing") for job in jobs(server))
    assert not server.state.requests_to("/v1/predictions/*/cancel", "POST")
    notes = " ".join(getattr(info.value, "__notes__", ()))
    assert all(pid in notes for pid in made), notes
    assert "none was canceled" in notes


async def test_an_exception_in_the_progress_callback_cancels_and_propagates(
    server: LocalServer, async_client: AsyncClient
) -> None:
    def progress(update: BatchProgress) -> None:
        raise Stop(update.done)

    inputs = [{"seconds": 0}, SLOW, SLOW, SLOW, SLOW]
    with pytest.raises(Stop) as raised:
        await async_client.run_batch(
            "replicate/sleep",
            inputs,
            concurrency=3,
            rate_limit=None,
            wait=False,
            progress=progress,
        )
    assert raised.value.args == (1,)
    assert any(job.status == "succeeded" for job in jobs(server))
    assert_nothing_left_running(server, canceled=len(jobs(server)) - 1)


def test_a_sync_progress_callback_that_raises_cancels_and_propagates(
    server: LocalServer, client: Client
) -> None:
    calls: list[int] = []
    thread = threading.current_thread()

    def progress(update: BatchProgress) -> None:
        calls.append(update.done)
        assert threading.current_thread() is thread  # callbacks run in the caller's thread
        raise Stop

    with pytest.raises(Stop):
        client.run_batch(
            "replicate/sleep",
            [{"seconds": 0}, SLOW, SLOW],
            concurrency=3,
            rate_limit=None,
            progress=progress,
            wait=False,
        )
    assert calls == [1]  # not called again once it raised
    assert_nothing_left_running(server, canceled=2)


def test_cancels_that_fail_after_an_interruption_are_told_on_it(
    server: LocalServer, client: Client
) -> None:
    server.state.inject_fault("status", re.compile(r"/v1/predictions/[^/]+/cancel"), times=None)

    def progress(update: BatchProgress) -> None:
        raise Stop

    inputs = [{"seconds": 0}, SLOW, SLOW]
    with pytest.raises(Stop) as info:
        client.run_batch(
            "replicate/sleep", inputs, concurrency=3, rate_limit=None, progress=progress, wait=False
        )
    left = sorted(job.id for job in jobs(server) if job.status in ("starting", "processing"))
    assert len(left) == 2
    notes = "\n".join(getattr(info.value, "__notes__", []))
    for prediction_id in left:
        assert f"client.predictions.cancel('{prediction_id}')" in notes


def test_ctrl_c_cancels_the_started_predictions_then_propagates(
    server: LocalServer, client: Client
) -> None:
    def press_ctrl_c() -> None:
        server.state.wait_until(lambda: running(server) >= 3)
        os.kill(os.getpid(), signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            client.run_batch(
                "replicate/sleep", [SLOW] * 6, concurrency=3, rate_limit=None, wait=False
            )
    finally:
        presser.join()
    assert len(jobs(server)) == 3
    assert_nothing_left_running(server, canceled=3)


def test_ctrl_c_during_held_creations_names_what_they_made(
    server: LocalServer, client: Client
) -> None:
    def press_ctrl_c() -> None:
        server.state.wait_until(lambda: running(server) >= 3)
        os.kill(os.getpid(), signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    try:
        with pytest.raises(KeyboardInterrupt) as info:
            client.run_batch("replicate/sleep", [SLOW] * 6, concurrency=3, rate_limit=None)
    finally:
        presser.join()
    made = {job.id for job in jobs(server)}
    assert len(made) == 3
    notes = " ".join(getattr(info.value, "__notes__", ()))
    assert all(pid in notes for pid in made), notes
    assert not server.state.requests_to("/v1/predictions/*/cancel", "POST")


def test_ctrl_c_during_held_creations_with_a_journal_says_the_next_run_adopts_them(
    server: LocalServer, client: Client, tmp_path: Path
) -> None:
    def press_ctrl_c() -> None:
        server.state.wait_until(lambda: running(server) >= 2)
        os.kill(os.getpid(), signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    journal = tmp_path / "batch.journal"
    try:
        with pytest.raises(KeyboardInterrupt) as info:
            client.run_batch("replicate/sleep", [SLOW] * 2, rate_limit=None, journal=journal)
    finally:
        presser.join()
    notes = " ".join(getattr(info.value, "__notes__", ()))
    # No search was made: not "the search for them failed".
    assert "search" not in notes
    assert "running the batch again with the same journal finds and adopts them" in notes


def test_ctrl_c_while_waiting_for_the_rate_limit_creates_nothing_more(
    server: LocalServer, client: Client
) -> None:
    def press_ctrl_c() -> None:
        server.state.wait_until(lambda: running(server) >= 1)
        os.kill(os.getpid(), signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            # One creation a second: the others are waiting for their slot.
            client.run_batch(
                "replicate/sleep", [SLOW] * 4, concurrency=4, rate_limit=60, wait=False
            )
    finally:
        presser.join()
    assert len(jobs(server)) == 1
    assert_nothing_left_running(server, canceled=1)
