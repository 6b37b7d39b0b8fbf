"""`make demo`: the command line against the local server, end to end.

Starts `replicate-ext serve` on a free port, then runs three models through
`replicate-ext run`: hello-world, a model that streams tokens (they appear as
they are generated), and an image model that logs tqdm progress (drawn as a
bar on a terminal) and whose PNG is saved and its path printed. The server is
stopped however the demo ends.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

STARTUP_TIMEOUT = 30.0
STEP_TIMEOUT = 60.0
SERVER_LINE = re.compile(r"Replicate-compatible server: (\S+)")


def cli_command() -> list[str]:
    """The console script of this environment (or the module, before it is installed)."""
    script = Path(sys.executable).with_name("replicate-ext")
    if script.exists():
        return [str(script)]
    found = shutil.which("replicate-ext")
    return [found] if found else [sys.executable, "-m", "replicate_ext.cli"]


def start_server(cli: list[str], token: str, speed: float) -> tuple[subprocess.Popen[str], str]:
    """Start the server and return it with its base URL, read from its first lines."""
    server = subprocess.Popen(
        [*cli, "serve", "--port", "0", "--token", token, "--speed", str(speed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    seen: list[str] = []
    while True:
        left = deadline - time.monotonic()
        try:
            line = lines.get(timeout=max(left, 0.01))
        except queue.Empty:
            stop_server(server)
            raise RuntimeError(f"the server printed no URL within {STARTUP_TIMEOUT:g} s") from None
        if line is None:
            server.wait()
            raise RuntimeError("the server exited before it started:\n" + "".join(seen))
        seen.append(line)
        match = SERVER_LINE.search(line)
        if match:
            return server, match.group(1)


def stop_server(server: subprocess.Popen[str]) -> None:
    """Interrupt the server like Ctrl-C would; kill it if it lingers."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def step(title: str, cli: list[str], args: list[str], env: dict[str, str]) -> None:
    """Show and run one command; its output goes straight to this terminal."""
    print(f"\n== {title}", flush=True)
    print("$ replicate-ext " + shlex.join(args), flush=True)
    code = subprocess.run([*cli, *args], env=env, timeout=STEP_TIMEOUT, check=False).returncode
    if code != 0:
        raise SystemExit(f"demo failed: replicate-ext {args[0]} exited with {code}")


def main() -> int:
    """Run the demo; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, help="where to save the image (a temp dir)")
    parser.add_argument("--speed", type=float, default=1.0, help="server speed factor (1)")
    args = parser.parse_args()
    output_dir = args.output_dir or Path(tempfile.mkdtemp(prefix="replicate-ext-demo-"))

    cli = cli_command()
    token = "r8_demo" + secrets.token_hex(8)
    server, base_url = start_server(cli, token, args.speed)
    env = {**os.environ, "REPLICATE_BASE_URL": base_url, "REPLICATE_API_TOKEN": token}
    print(f"Local Replicate-compatible server at {base_url}")
    try:
        step("hello-world", cli, ["run", "replicate/hello-world", "-i", "text=world"], env)
        step(
            "a model that streams its tokens",
            cli,
            [
                "run",
                "replicate/stream-tokens",
                "-i",
                "prompt=Tokens arrive one by one, as the model writes them.",
                "-i",
                "interval=0.12",
            ],
            env,
        )
        step(
            "an image model: a progress bar from its logs, then the PNG is saved",
            cli,
            [
                "run",
                "replicate/make-image",
                "-i",
                "num_inference_steps=20",
                "-i",
                "color=blue",
                "-i",
                "width=64",
                "-i",
                "height=64",
                "--output-dir",
                str(output_dir),
            ],
            env,
        )
    except KeyboardInterrupt:
        print("\ndemo interrupted", file=sys.stderr)
        return 130
    finally:
        stop_server(server)
    print("\nDone: the server is stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
