"""Fixtures that build nothing: they start the real `intercloud` binary (INTERCLOUD_BIN, default
.build/debug/intercloud) on free loopback ports with a temporary data directory."""
import json
import os
import pathlib
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("INTERCLOUD_BIN", str(ROOT / ".build" / "debug" / "intercloud"))
DOMAIN = "intercloud.localhost"


class Root:
    """One running `intercloud serve` and helpers to talk to it."""

    def __init__(self, data_dir, extra_args=(), config=None, env=None, domain=DOMAIN):
        self.data_dir = data_dir
        self.domain = domain
        self.env = env
        self.log_lines = []
        args = [BIN, "serve", "--data-dir", data_dir, "--domain", domain, "--bind", "127.0.0.1",
                "--c2s-port", "0", "--c2s-tls-port", "0", "--s2s-port", "0", "--http-port", "0", *extra_args]
        if config:
            args += ["--config", config]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        self.ports = self._wait_ready(timeout=90)
        self._drain = threading.Thread(target=self._drain_log, daemon=True)
        self._drain.start()
        self.ca_file = os.path.join(data_dir, "test-ca.pem")
        with open(self.ca_file, "w") as f:
            f.write(self.http_get("/v1/ca/certificates")[1].decode())

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                raise RuntimeError("intercloud exited before ready:\n" + "".join(self.log_lines))
            self.log_lines.append(line)
            if " ready " in line or line.rstrip().endswith(" ready"):
                return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line.split("ready", 1)[1])}
        raise RuntimeError("intercloud not ready in time:\n" + "".join(self.log_lines))

    def _drain_log(self):
        for line in self.proc.stderr:
            self.log_lines.append(line)

    @property
    def c2s(self):
        return self.ports["c2s"]

    @property
    def c2s_tls(self):
        return self.ports["c2s_tls"]

    def http_get(self, path, headers=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.ports['http']}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def http(self, method, path, body=None, token=True):
        """An HTTP request to the admin API; `token` False sends none, a string sends that token."""
        headers = {}
        if token is True:
            with open(os.path.join(self.data_dir, "admin.token")) as f:
                headers["Authorization"] = "Bearer " + f.read().strip()
        elif token:
            headers["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(f"http://127.0.0.1:{self.ports['http']}{path}", data=data, method=method,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def cli(self, *args, stdin=None):
        return run_cli(*args, "--data-dir", self.data_dir, "--domain", self.domain, stdin=stdin, env=self.env)

    def add_cloud(self, name, password):
        result = self.cli("registry", "add", name, "--password-stdin", stdin=password + "\n")
        assert result.returncode == 0, result.stderr
        return f"{name}@{self.domain}"

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode


def run_cli(*args, stdin=None, env=None):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=60, env=env)


@pytest.fixture(scope="module")
def root():
    with tempfile.TemporaryDirectory(prefix="intercloud-it-") as data_dir:
        server = Root(data_dir)
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def fresh_root():
    with tempfile.TemporaryDirectory(prefix="intercloud-it-") as data_dir:
        server = Root(data_dir)
        try:
            yield server
        finally:
            server.stop()
