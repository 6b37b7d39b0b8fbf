"""``python -m replicate_ext.testing``: serve the local Replicate-compatible API."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence

from ._fake import ModelDocument, read_model_document
from ._faults import parse_fault
from ._server import bind_socket, make_server, new_token, origin_of
from ._state import ServerState


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m replicate_ext.testing",
        description="Serve an in-memory, Replicate-compatible HTTP API for offline testing.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8787, help="port; 0 picks a free one (8787)")
    parser.add_argument("--token", default=None, help="the accepted API token (random)")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="divide every model delay by this factor (1)"
    )
    parser.add_argument("--page-size", type=int, default=100, help="items per list page (100)")
    parser.add_argument("--username", default="test-user", help="the account name (test-user)")
    parser.add_argument(
        "--keepalive", type=float, default=15.0, help="seconds between SSE keep-alives (15)"
    )
    parser.add_argument(
        "--rate-limit",
        action="store_true",
        help="enforce Replicate's rate limits (600 creations, 3000 others per minute)",
    )
    parser.add_argument(
        "--sync-data-urls",
        action="store_true",
        help="with Prefer: wait, return output files as data URLs",
    )
    parser.add_argument(
        "--queue-delay",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds a new prediction waits in the queue (not scaled by --speed)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="'KIND PATH [key=value ...]'",
        help=(
            "inject a fault, e.g. 'status /v1/predictions method=POST status=503 times=2'; "
            "KIND is status, 429, drop, slow, slow_after, drop_after, drop_stream, "
            "stream_restart or stream_no_done; PATH is exact, a prefix "
            "ending in *, or ~regex (repeatable)"
        ),
    )
    parser.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="OWNER/NAME=FILE",
        help=(
            "fake a real model from FILE: what the API answers for it "
            "(replicate-ext models get OWNER/NAME --json), for a version, or a Cog "
            "openapi_schema (repeatable)"
        ),
    )
    parser.add_argument("--log-level", default="warning", help="uvicorn log level (warning)")
    return parser.parse_args(argv)


def read_models(options: Sequence[str]) -> dict[str, ModelDocument]:
    """``OWNER/NAME=FILE`` options, read; a ValueError naming the one that is wrong."""
    models = {}
    for option in options:
        name, equals, path = option.partition("=")
        owner, _, model = name.partition("/")
        if not equals or not path or not owner or not model or "/" in model:
            raise ValueError(f"--model {option!r}: expected OWNER/NAME=FILE")
        try:
            models[name] = read_model_document(path)
        except ValueError as error:
            raise ValueError(f"--model {option!r}: {error}") from None
    return models


def announce(state: ServerState) -> None:
    """What to paste to use the server, and where its pages are."""
    base_url = f"{state.origin}/v1"
    print(f"Replicate-compatible server: {base_url}", flush=True)
    print(f"Token: {state.token}", flush=True)
    print(f"Web pages: {state.origin}/", flush=True)
    print("Point your code at it:", flush=True)
    print(
        f"  export REPLICATE_BASE_URL={shlex.quote(base_url)} "
        f"REPLICATE_API_TOKEN={shlex.quote(state.token)}",
        flush=True,
    )
    print(
        f'Try: curl -H "Authorization: Bearer {state.token}" -H "Prefer: wait" '
        f'-d \'{{"version": "replicate/hello-world", "input": {{"text": "Alice"}}}}\' '
        f"{base_url}/predictions",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run until interrupted; returns the exit code."""
    args = parse_args(argv)
    try:
        models = read_models(args.model)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    state = ServerState(
        token=args.token or new_token(),
        username=args.username,
        speed=args.speed,
        page_size=args.page_size,
        keepalive_interval=args.keepalive,
        sync_data_urls=args.sync_data_urls,
        queue_delay=args.queue_delay,
        models=models,
    )
    if args.rate_limit:
        state.enable_replicate_rate_limits()
    for text in args.fault:
        try:
            state.faults.add(parse_fault(text))
        except ValueError as error:
            print(f"--fault {text!r}: {error}", file=sys.stderr)
            return 2
    sock = bind_socket(args.host, args.port)
    state.set_origin(origin_of(sock))

    server = make_server(state, lambda: announce(state), args.log_level)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn re-raises the SIGINT it handled once it has shut down cleanly.
        pass
    finally:
        sock.close()
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
