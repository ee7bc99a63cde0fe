"""The real entry points: `python app.py` serves, settings read the Bot Framework's names."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.server import ServerLimits
from bot.settings import Settings
from tests.conftest import NetworkGuardError

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_python_app_py_serves_health_and_warns_about_local_mode(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "DATA_DIR": str(tmp_path / "data"),
        "MicrosoftAppId": "",
    }
    child = subprocess.Popen(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert child.poll() is None, child.stdout.read()
                assert time.monotonic() < deadline, "the bot did not start"
                time.sleep(0.2)
    finally:
        child.terminate()
        output, _ = child.communicate(timeout=15)
    assert "LOCAL MODE" in output
    assert output.count(f"listening on http://127.0.0.1:{port}/api/messages") == 1
    assert (tmp_path / "bot.db").exists()


def _start(tmp_path, *command: str, **env: str) -> subprocess.CompletedProcess:
    """Run an entry point that is expected to fail at start-up (bounded: 60 s)."""
    base = {
        **{k: v for k, v in os.environ.items() if k != "LOG_LEVEL"},
        "PORT": str(_free_port()),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "DATA_DIR": str(tmp_path / "data"),
        "MicrosoftAppId": "",
    }
    return subprocess.run(
        command or [sys.executable, "app.py"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


STARTUP_ERRORS = {
    "port not a number": ({"PORT": "abc"}, "invalid setting PORT"),
    "unauthenticated on the network": ({"HOST": "0.0.0.0"}, "ALLOW_UNAUTHENTICATED_NETWORK"),
    "credentials without PUBLIC_URL": (
        {"MicrosoftAppId": "app", "MicrosoftAppPassword": "pw"},
        "PUBLIC_URL is required",
    ),
    "unknown log level": ({"LOG_LEVEL": "chatty"}, "invalid setting LOG_LEVEL"),
    "database unreachable": (
        {"DATABASE_URL": "postgresql://moedebot:pw@127.0.0.1:9/none"},
        "database (DATABASE_URL)",
    ),
}


@pytest.mark.parametrize("case", list(STARTUP_ERRORS))
def test_a_start_up_error_is_one_line_and_exit_status_2(tmp_path, case):
    env, expected = STARTUP_ERRORS[case]
    done = _start(tmp_path, **env)
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("moedebot: error: ")
    assert expected in line
    assert "pw@" not in line, "no password from a database URL"
    assert done.stdout == ""


def test_a_port_in_use_is_one_line_before_any_start_up_work(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for command in ([sys.executable, "app.py"], [sys.executable, "-m", "bot.cli", "run"]):
            done = _start(tmp_path, *command, PORT=str(port))
            assert done.returncode == 2, done.stderr
            assert done.stderr.splitlines() == [
                f"moedebot: error: cannot listen on 127.0.0.1:{port}: address already in use"
            ]
    assert not (tmp_path / "bot.db").exists(), "the port is tried before the database"


def test_log_level_debug_adds_the_traceback(tmp_path):
    done = _start(tmp_path, LOG_LEVEL="DEBUG", HOST="0.0.0.0")
    assert done.returncode == 2
    assert "Traceback" in done.stderr
    assert done.stderr.splitlines()[-1].startswith("moedebot: error: HOST=0.0.0.0")


def test_settings_use_the_bot_framework_names(monkeypatch, tmp_path):
    for name, value in {
        "MicrosoftAppId": "app-1",
        "MicrosoftAppPassword": "s3cret",
        "MicrosoftAppType": "SingleTenant",
        "MicrosoftAppTenantId": "tenant-9",
        "ADMIN_IDS": "29:a, 29:b",
        "PORT": "4000",
        "TIMEZONE": "Europe/Copenhagen",
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings.load(_env_file=None)
    assert (settings.app_id, settings.app_type, settings.app_tenant_id) == (
        "app-1",
        "SingleTenant",
        "tenant-9",
    )
    assert settings.admin_ids == ("29:a", "29:b")
    assert settings.bind_host == "0.0.0.0"  # with credentials it serves the network
    assert "s3cret" not in repr(settings)  # secrets never reach logs through repr


def test_settings_from_a_dotenv_file(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text("MicrosoftAppId=from-file\nPORT=3999\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    settings = Settings.load()
    assert (settings.app_id, settings.port) == ("from-file", 3999)


def test_impossible_settings_are_refused():
    with pytest.raises(ValueError):
        Settings(timezone="Mars/Olympus", _env_file=None)
    with pytest.raises(ValueError):
        Settings(port=70000, _env_file=None)


def test_the_network_guard_blocks_other_hosts():
    # Both are refused before any packet leaves: the guard checks the address first.
    with pytest.raises(NetworkGuardError):
        socket.getaddrinfo("example.org", 443)
    with socket.socket() as sock, pytest.raises(NetworkGuardError):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1, documentation only


def test_unauthenticated_network_serving_must_be_asked_for(tmp_path):
    base = {"_env_file": None, "data_dir": tmp_path, "app_id": ""}
    Settings(**base).check_deployment()  # local mode on loopback: fine
    with pytest.raises(ValueError, match="ALLOW_UNAUTHENTICATED_NETWORK"):
        Settings(**base, host="0.0.0.0").check_deployment()
    Settings(**base, host="0.0.0.0", allow_unauthenticated_network=True).check_deployment()


def test_credentials_need_a_public_url(tmp_path):
    base = {"_env_file": None, "data_dir": tmp_path, "app_id": "app", "app_password": "pw"}
    with pytest.raises(ValueError, match="PUBLIC_URL"):
        Settings(**base).check_deployment()
    Settings(**base, public_url="https://bot.example.dk").check_deployment()


def test_server_limits_come_from_the_settings(monkeypatch):
    defaults = ServerLimits.from_settings(Settings(_env_file=None))
    assert defaults == ServerLimits()  # the settings' defaults are the server's
    for name, value in {
        "HEADER_TIMEOUT_SECONDS": "3",
        "BODY_TIMEOUT_SECONDS": "4",
        "IDLE_TIMEOUT_SECONDS": "5",
        "MAX_CONNECTIONS": "6",
    }.items():
        monkeypatch.setenv(name, value)
    limits = ServerLimits.from_settings(Settings.load(_env_file=None))
    assert limits == ServerLimits(
        header_timeout=3.0, body_timeout=4.0, idle_timeout=5.0, max_connections=6
    )
    with pytest.raises(ValueError):
        Settings(body_timeout_seconds=0, _env_file=None)


def test_generated_secret_is_private_and_stable(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    first = settings.resolved_hash_secret()
    assert (tmp_path / "data" / "hash_secret").stat().st_mode & 0o777 == 0o600
    assert settings.resolved_hash_secret() == first
    elsewhere = Settings(_env_file=None, data_dir=tmp_path / "other")
    with pytest.raises(FileNotFoundError):
        elsewhere.admin_token(create=False)
