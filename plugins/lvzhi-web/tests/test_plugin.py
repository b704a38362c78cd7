"""The plugin as installed: the entry point, the commands, turning it off, the secret."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import ORGANISER, Course, free_port
from lvzhi_web.signing import Signer, load_secret, secret_file_for

import lvzhi
from lvzhi.plugins import Hooks, make_plugin_manager


def _lvzhi(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lvzhi", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_the_entry_point_is_discovered() -> None:
    manager = make_plugin_manager(environ={"LVZHI_PLUGINS": "web"})
    assert manager.get_plugin("web") is not None
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    Hooks(manager).register_commands(sub)
    assert {"serve", "web-link"} <= set(sub.choices)


def test_disabling_the_plugin_removes_serve() -> None:
    listed = _lvzhi("plugins", env={"LVZHI_DB": "memory://"})
    assert "lvzhi-web" in listed.stdout
    off = _lvzhi("serve", "--help", env={"LVZHI_DISABLE_PLUGINS": "web"})
    assert off.returncode != 0
    assert "invalid choice: 'serve'" in off.stderr
    on = _lvzhi("serve", "--help")
    assert on.returncode == 0
    assert "--port" in on.stdout


def test_serve_and_web_link_end_to_end(course: Course, tmp_path: Path) -> None:
    url = f"sqlite:///{course.path}"
    port = free_port()
    env = {"LVZHI_WEB_SECRET": "", "LVZHI_PLUGINS": "web"}
    link = _lvzhi(
        "web-link",
        ORGANISER,
        "--db",
        url,
        "--base",
        f"http://127.0.0.1:{port}",
        "--stations",
        env=env,
    )
    assert link.returncode == 0, link.stderr
    lines = link.stdout.splitlines()
    assert lines[0].startswith(f"http://127.0.0.1:{port}/login/{ORGANISER}.")
    assert len(lines) == 1 + len(course.passes)
    secret = secret_file_for(url)
    assert secret is not None
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    process = subprocess.Popen(
        [sys.executable, "-m", "lvzhi", "serve", "--db", url, "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with httpx.Client(follow_redirects=True) as http:
                    page = http.get(lines[0])
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        assert page.status_code == 200
        assert "/passes" in page.text
        station = lines[1].split("\t")[2]
        assert httpx.get(station).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_secret_sources(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.db"
    first = load_secret(url, environ={})
    assert first == load_secret(url, environ={})
    assert stat.S_IMODE((tmp_path / "x.db.web-secret").stat().st_mode) == 0o600
    assert (
        load_secret(url, environ={"LVZHI_WEB_SECRET": "from-env-0123456789"})
        == b"from-env-0123456789"
    )
    assert (
        load_secret(url, {"secret": "from-settings-0123456"}, environ={})
        == b"from-settings-0123456"
    )
    assert secret_file_for("memory://") is None
    assert load_secret("memory://", environ={}) != load_secret("memory://", environ={})


def test_tokens_are_bound_to_their_purpose() -> None:
    signer = Signer(b"0123456789abcdef0123456789abcdef")
    token = signer.sign("station", "p-1")
    assert signer.unsign("station", token) == "p-1"
    assert signer.unsign("official", token) is None
    assert signer.unsign("station", token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert signer.unsign("station", "no-dot") is None
    with pytest.raises(ValueError, match="at least 16 bytes"):
        Signer(b"short")


def test_uses_the_public_services_only(office: lvzhi.Secretariat) -> None:
    source = "\n".join(
        p.read_text() for p in (Path(__file__).parents[1] / "src" / "lvzhi_web").glob("*.py")
    )
    for private in ("unit_of_work", "lvzhi.builtins", "lvzhi.storage", "_ctx"):
        assert private not in source, private
