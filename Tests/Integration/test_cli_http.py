"""The `intercloud` CLI (CONTRACT §3) and the HTTP API (CONTRACT §4) of a running root."""
import json
import os
import stat
import subprocess
import tempfile

from conftest import run_cli


def test_registry_cli_round_trip():
    with tempfile.TemporaryDirectory() as data:
        common = ("--data-dir", data)
        add = run_cli("registry", "add", "cloud-1", "--password-stdin", "--endpoint", "https://c1.example/api",
                      "--trust-level", "3", *common, stdin="pw\n")
        assert add.returncode == 0, add.stderr
        assert run_cli("registry", "add", "cloud-1", *common).returncode == 64
        listed = run_cli("registry", "list", "--json", *common)
        assert listed.returncode == 0
        entries = json.loads(listed.stdout)
        assert [e["name"] for e in entries] == ["cloud-1"]
        assert entries[0]["jid"] == "cloud-1@intercloud.localhost"
        assert entries[0]["trustLevel"] == 3
        assert "pw" not in listed.stdout
        shown = json.loads(run_cli("registry", "show", "cloud-1", "--json", *common).stdout)
        assert shown["endpoints"] == ["https://c1.example/api"]
        assert run_cli("registry", "remove", "cloud-1", *common).returncode == 0
        assert run_cli("registry", "show", "cloud-1", *common).returncode != 0
        assert json.loads(run_cli("registry", "list", "--json", *common).stdout) == []
        with open(os.path.join(data, "registry.sqlite"), "rb") as f:
            assert b"pw\n" not in f.read()


def test_invalid_input_exits_64_with_one_line():
    with tempfile.TemporaryDirectory() as data:
        for name in ("Bad", "-x", "x-", "a_b", "a" * 64, ""):
            result = run_cli("registry", "add", name, "--data-dir", data)
            assert result.returncode == 64, (name, result.stderr)
            assert result.stderr.strip(), name
        result = run_cli("registry", "add", "ok", "--trust-level", "9", "--data-dir", data)
        assert result.returncode == 64
        assert run_cli("serve", "--no-such-flag").returncode == 64
        assert run_cli("serve", "--c2s-port", "99999", "--data-dir", data).returncode == 64


def test_config_file_is_read_and_flags_override():
    with tempfile.TemporaryDirectory() as data:
        config = os.path.join(data, "root.toml")
        with open(config, "w") as f:
            f.write(f'data_dir = "{data}/from-config"\ndomain = "example.test"\n[limits]\nmax_stanza_size = 65536\n')
        run_cli("registry", "add", "zulu", "--config", config)
        listed = json.loads(run_cli("registry", "list", "--json", "--config", config).stdout)
        assert listed[0]["jid"] == "zulu@example.test"
        assert os.path.exists(os.path.join(data, "from-config", "registry.sqlite"))
        listed = json.loads(run_cli("registry", "list", "--json", "--config", config, "--domain", "other.test").stdout)
        assert listed[0]["jid"] == "zulu@other.test"
        with open(config, "w") as f:
            f.write("no_such_key = 1\n")
        bad = run_cli("registry", "list", "--config", config)
        assert bad.returncode == 64 and "no_such_key" in bad.stderr


def test_health_metrics_and_ca_chain(root):
    status, body, _ = root.http_get("/v1/health")
    assert status == 200
    health = json.loads(body)
    assert health["status"] == "ok"
    assert health["ports"]["c2s"] == root.c2s and health["ports"]["c2s_tls"] == root.c2s_tls
    status, body, headers = root.http_get("/metrics")
    assert status == 200
    assert b"# TYPE xmpp_c2s_connections_total counter" in body
    assert headers.get("Content-Type", "").startswith("text/plain")
    status, body, _ = root.http_get("/v1/ca/certificates")
    assert status == 200 and body.count(b"BEGIN CERTIFICATE") == 2


def test_data_directory_secrets_are_private(root):
    token = os.path.join(root.data_dir, "admin.token")
    assert stat.S_IMODE(os.stat(token).st_mode) == 0o600
    keys = []
    for dirpath, _, files in os.walk(root.data_dir):
        keys += [os.path.join(dirpath, f) for f in files if f.endswith(".key")]
    assert keys, "no key files found"
    for key in keys:
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600, key


def test_server_certificate_verifies_with_openssl(root):
    """openssl (a real peer nobody here wrote) checks the chain the server presents against our CA."""
    chain = subprocess.run(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{root.c2s_tls}", "-servername", root.domain,
         "-CAfile", root.ca_file, "-verify_return_error", "-verify_hostname", root.domain, "-brief"],
        input="", capture_output=True, text=True, timeout=30)
    assert "Verification: OK" in chain.stderr or "Verify return code: 0" in chain.stdout, chain.stderr


def test_concurrent_registry_adds_from_several_processes_all_succeed():
    """The CLI and the server share the SQLite file: parallel writers wait for the lock instead of failing."""
    import concurrent.futures

    with tempfile.TemporaryDirectory() as data:
        def add(i):
            return run_cli("registry", "add", f"para-{i}", "--password-stdin", "--data-dir", data, stdin="pw\n")

        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(add, range(30)))
        failures = [r.stderr for r in results if r.returncode != 0]
        assert not failures, failures[:3]
        assert len(json.loads(run_cli("registry", "list", "--json", "--data-dir", data).stdout)) == 30


def test_ldap_misconfiguration_is_reported_not_crashed():
    """`--registry ldap` with missing flags or an unreadable password file is bad usage (64); an LDAP server that
    does not answer is a runtime failure (1); each with a one-line reason."""
    with tempfile.TemporaryDirectory() as data:
        missing = run_cli("registry", "list", "--registry", "ldap", "--data-dir", data)
        assert missing.returncode == 64 and "--ldap-url" in missing.stderr
        assert run_cli("serve", "--registry", "ldap", "--data-dir", data).returncode == 64
        flags = ["--registry", "ldap", "--ldap-url", "ldap://127.0.0.1:1", "--ldap-base-dn", "dc=x,dc=test",
                 "--ldap-bind-dn", "cn=admin,dc=x,dc=test", "--data-dir", data]
        unreadable = run_cli("registry", "list", *flags, "--ldap-password-file", os.path.join(data, "absent"))
        assert unreadable.returncode == 64 and "password" in unreadable.stderr
        password = os.path.join(data, "pw")
        with open(password, "w") as f:
            f.write("secret\n")
        down = run_cli("registry", "list", *flags, "--ldap-password-file", password)
        assert down.returncode == 1, down.stderr
        assert len(down.stderr.strip().splitlines()) == 1, down.stderr
