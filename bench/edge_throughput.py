"""Edge benchmark: floor vs stock SDK vs our edge, same load, side by side, in one run.

Run: `make bench-edge` (or `.venv/bin/python -m bench.edge_throughput`). Needs `wrk`
(Debian package); the script installs it with apt-get when it runs as root and it is missing.
Every server and the load stay on 127.0.0.1; each round is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

KINDS = ("floor", "stock", "ours")
_ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def process(*args: str):
    """`python -m <args>` from this checkout, stopped (by its PID) when the block ends."""
    with supervised([sys.executable, "-m", *args], stderr=subprocess.PIPE) as child:
        yield child


@contextmanager
def supervised(
    argv: list[str],
    *,
    cwd: Path = _ROOT,
    env: dict[str, str] | None = None,
    stderr: int | None = None,
    stop_seconds: float = 10,
):
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        yield child
    finally:
        child.terminate()
        try:
            child.wait(timeout=stop_seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def wait_until_listening(port: int, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def activity(sink_url: str) -> dict:
    return {
        "type": "message",
        "id": "bench-1",
        "text": "hej",
        "channelId": "msteams",
        "serviceUrl": sink_url,
        "from": {"id": "29:user", "name": "Bruger"},
        "recipient": {"id": "28:bot", "name": "Mødebot"},
        "conversation": {"id": "a:bench-%d", "conversationType": "personal", "tenantId": "t"},
    }


def wrk_script(folder: Path, body: dict, conversations: int) -> Path:
    """POST the activity, spread over many conversations as a real tenant's traffic is
    (Teams' per-conversation limit of 7 messages/s would otherwise be the benchmark)."""
    script = folder / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"local template = {json.dumps(json.dumps(body))}\n"
        "local counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        f"  local body = string.format(template, counter % {conversations})\n"
        "  return wrk.format(nil, nil, nil, body)\n"
        "end\n"
    )
    return script


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(port: int, script: Path, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "5s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/api/messages",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)) for p in ("50", "99")}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "p50": latency["50"],
        "p99": latency["99"],
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def _ms(match) -> float:
    return float(match.group(1)) * _UNITS[match.group(2)]


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--conversations", type=int, default=10_000)
    args = parser.parse_args()
    ensure_wrk()
    sink_port = free_port()
    results: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    with (
        tempfile.TemporaryDirectory() as folder,
        process("bench.connector_sink", "--port", str(sink_port)),
    ):
        wait_until_listening(sink_port)
        script = wrk_script(
            Path(folder), activity(f"http://127.0.0.1:{sink_port}/"), args.conversations
        )
        for round_number in range(1, args.rounds + 1):
            for kind in KINDS:  # interleaved, so drift on a shared machine hits all three
                port = free_port()
                with process("bench.echo_servers", kind, "--port", str(port)):
                    wait_until_listening(port)
                    run_wrk(port, script, 2, args.connections)  # warm-up
                    figures = run_wrk(port, script, args.seconds, args.connections)
                results[kind].append(figures)
                print(
                    f"round {round_number} {kind:5s} {figures['rps']:9.1f} req/s "
                    f"p50 {figures['p50']:7.1f} ms  p99 {figures['p99']:7.1f} ms"
                    f"  non-2xx {figures['non2xx']}",
                    flush=True,
                )
        delivered = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sink_port}/count"))
    report(results, args, delivered["received"])


def report(results: dict[str, list[dict]], args, delivered: int) -> None:
    median = {
        k: {m: statistics.median(r[m] for r in runs) for m in ("rps", "p50", "p99")}
        for k, runs in results.items()
    }
    print(
        f"\nmedians of {args.rounds} rounds, {args.connections} connections over "
        f"{args.conversations} conversations, {args.seconds} s each; "
        f"replies received by the connector: {delivered}"
    )
    print(f"{'server':8s}{'req/s':>10s}{'p50 ms':>10s}{'p99 ms':>10s}")
    for kind in KINDS:
        m = median[kind]
        print(f"{kind:8s}{m['rps']:10.1f}{m['p50']:10.1f}{m['p99']:10.1f}")
    ours, stock, floor = (median[k]["rps"] for k in ("ours", "stock", "floor"))
    print(f"\nours / stock = {ours / stock:.1f}x   (target >= 15x)")
    print(f"ours / floor = {ours / floor:.0%}   (target >= 40 %)")
    print(f"stock / floor = {stock / floor:.3f}")


if __name__ == "__main__":
    main()
