"""Running the app with uvicorn: in a background thread (LocalServer) or in the foreground."""

from __future__ import annotations

import logging
import secrets
import socket
import threading
from collections.abc import Callable, Mapping
from types import TracebackType

import uvicorn

from ._app import create_app
from ._fake import OutputFunction
from ._state import ModelSource, ServerState


def new_token() -> str:
    """A random token shaped like Replicate's (``r8_`` + 37 characters)."""
    return "r8_" + secrets.token_urlsafe(28)[:37]


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket; port 0 picks a free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets that say
    # so, and without it every keep-alive response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def origin_of(sock: socket.socket) -> str:
    """``http://host:port`` for a bound socket."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _QuietInjectedDrops(logging.Filter):
    """Hides uvicorn's complaint about the responses fault injection cuts on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing response" not in record.getMessage()


_DROP_FILTER = _QuietInjectedDrops()


class _Server(uvicorn.Server):
    """A uvicorn server that reports when it is ready and stops streams before closing."""

    def __init__(
        self, config: uvicorn.Config, state: ServerState, on_ready: Callable[[], None]
    ) -> None:
        super().__init__(config)
        self._state = state
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self._on_ready()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # Open event streams would otherwise hold the graceful shutdown until its timeout.
        self._state.closing = True
        for job in list(self._state.predictions.values()):
            await job.touch()
        await super().shutdown(sockets=sockets)


def make_server(
    state: ServerState,
    on_ready: Callable[[], None],
    log_level: str = "warning",
) -> _Server:
    """A configured uvicorn server for ``state``."""
    config = uvicorn.Config(
        create_app(state),
        http="h11",
        ws="none",
        lifespan="on",
        log_level=log_level,
        timeout_graceful_shutdown=2,
        access_log=False,
    )
    # After Config, which (re)configures uvicorn's loggers.
    logger = logging.getLogger("uvicorn.error")
    if _DROP_FILTER not in logger.filters:
        logger.addFilter(_DROP_FILTER)
    return _Server(config, state, on_ready)


class LocalServer:
    """A Replicate-compatible server on a free loopback port, in a background thread.

    Use it as a context manager::

        with LocalServer(speed=50) as server:
            client = httpx.Client(base_url=server.base_url,
                                  headers={"Authorization": f"Bearer {server.token}"})

    ``speed`` divides every model delay (and webhook throttling and retry backoff);
    ``Prefer: wait`` and ``Cancel-After`` stay in real seconds. ``models`` fakes
    real models from their saved JSON (``{"owner/name": "model.json"}``, see
    :meth:`ServerState.fake_model`) and ``outputs`` gives any model's output
    from a function of its input (see :meth:`ServerState.set_output`); both
    stay through ``reset()``.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        speed: float = 1.0,
        page_size: int = 100,
        username: str = "test-user",
        keepalive_interval: float = 15.0,
        webhook_max_attempts: int = 4,
        sync_data_urls: bool = False,
        rate_limit: bool = False,
        log_level: str = "warning",
        queue_delay: float | None = None,
        models: Mapping[str, ModelSource] | None = None,
        outputs: Mapping[str, OutputFunction] | None = None,
    ) -> None:
        self.state = ServerState(
            token=token or new_token(),
            username=username,
            speed=speed,
            page_size=page_size,
            keepalive_interval=keepalive_interval,
            webhook_max_attempts=webhook_max_attempts,
            sync_data_urls=sync_data_urls,
            queue_delay=queue_delay,
            models=models,
            outputs=outputs,
        )
        if rate_limit:
            self.state.enable_replicate_rate_limits()
        self._host = host
        self._port = port
        self._log_level = log_level
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def token(self) -> str:
        """The only token the server accepts."""
        return self.state.token

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return self.state.origin

    @property
    def base_url(self) -> str:
        """The API base URL, ending in ``/v1``."""
        if not self.state.origin:
            raise RuntimeError("the server is not running")
        return self.state.origin + "/v1"

    def reset(self) -> None:
        """Forget everything created, seen or injected (see :meth:`ServerState.reset`)."""
        self.state.reset()

    def start(self) -> LocalServer:
        """Start serving; returns once the server accepts requests."""
        if self._thread is not None:
            raise RuntimeError("already started")
        self._socket = bind_socket(self._host, self._port)
        self.state.set_origin(origin_of(self._socket))
        ready = threading.Event()
        self._server = make_server(self.state, ready.set, self._log_level)
        errors: list[BaseException] = []

        def serve() -> None:
            try:
                assert self._server is not None
                assert self._socket is not None
                self._server.run(sockets=[self._socket])
            except BaseException as error:  # noqa: BLE001 - reported to the starting thread
                errors.append(error)
            finally:
                ready.set()

        self._thread = threading.Thread(target=serve, name="replicate-local-server", daemon=True)
        self._thread.start()
        ready.wait()
        if errors or not self._server.started:
            self.stop()
            raise RuntimeError(f"the local server failed to start: {errors}")
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        if self._socket is not None:
            self._socket.close()
        self._server = None
        self._thread = None
        self._socket = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LocalServer(origin={self.state.origin!r})"
