"""The certificate authority end to end (issue: naming and trust): CSR issuance over HTTP and the CLI, revocation,
CRLs, checked with openssl and pkilint, and SASL EXTERNAL logins with issued certificates (XEP-0178)."""
import asyncio
import json
import os
import subprocess
import tempfile

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import ROOT
from xmpp_clients import LoginFailed, login

VENV_BIN = os.path.join(ROOT, ".venv", "bin")


def make_csr(common_name="ignored-by-the-ca"):
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
           .add_extension(x509.SubjectAlternativeName([x509.DNSName("evil.example")]), critical=False)
           .sign(key, hashes.SHA256()))
    return key, csr.public_bytes(serialization.Encoding.PEM).decode()


def split_pem(text):
    marker = "-----END CERTIFICATE-----"
    return [part.strip() + "\n" + marker + "\n" for part in text.split(marker) if "BEGIN CERTIFICATE" in part]


def write(directory, name, data):
    path = os.path.join(directory, name)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return path


def issue(root, cloud, csr_pem):
    return root.http("POST", f"/v1/clouds/{cloud}/certificates", csr_pem.encode())


def test_issued_chain_verifies_then_is_revoked_in_the_crl(root):
    root.add_cloud("ca-alpha", "pw")
    _, csr = make_csr()
    status, body = issue(root, "ca-alpha", csr)
    assert status == 201, body
    leaf_pem, intermediate_pem = split_pem(body.decode())[:2]
    leaf = x509.load_pem_x509_certificate(leaf_pem.encode())
    # Subject and SANs come from the registry, never from the CSR.
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "evil.example" not in san.get_values_for_type(x509.DNSName)
    others = [o for o in san if isinstance(o, x509.OtherName)]
    assert others and others[0].type_id.dotted_string == "1.3.6.1.5.5.7.8.5"
    assert others[0].value == b"\x0c" + bytes([len(f"ca-alpha@{root.domain}")]) + f"ca-alpha@{root.domain}".encode()
    chain = split_pem(root.http_get("/v1/ca/certificates")[1].decode())
    with tempfile.TemporaryDirectory() as d:
        rootpem = write(d, "root.pem", chain[1])
        inter = write(d, "intermediate.pem", intermediate_pem)
        leafpath = write(d, "leaf.pem", leaf_pem)

        def verify():
            crl = write(d, "crl.der", root.http_get("/v1/ca/crl")[1])
            crlpem = subprocess.run(["openssl", "crl", "-inform", "DER", "-in", crl], capture_output=True, text=True)
            assert crlpem.returncode == 0, crlpem.stderr
            write(d, "crl.pem", crlpem.stdout)
            return subprocess.run(["openssl", "verify", "-x509_strict", "-crl_check", "-CAfile", rootpem,
                                   "-untrusted", inter, "-CRLfile", os.path.join(d, "crl.pem"), leafpath],
                                  capture_output=True, text=True)

        before = verify()
        assert before.returncode == 0 and "OK" in before.stdout, before.stdout + before.stderr
        serial = format(leaf.serial_number, "x")
        status, body = root.http("POST", f"/v1/certificates/{serial}/revoke", {"reason": "keyCompromise"})
        assert status == 200, body
        after = verify()
        assert after.returncode != 0 and "revoked" in (after.stdout + after.stderr), after.stdout + after.stderr


def test_pkilint_finds_nothing_on_root_intermediate_leaf_and_crl(root):
    root.add_cloud("ca-bravo", "pw")
    _, csr = make_csr()
    status, body = issue(root, "ca-bravo", csr)
    assert status == 201
    leaf_pem, intermediate_pem = split_pem(body.decode())[:2]
    root_pem = split_pem(root.http_get("/v1/ca/certificates")[1].decode())[1]
    with tempfile.TemporaryDirectory() as d:
        files = {n: write(d, n + ".pem", p) for n, p in
                 (("root", root_pem), ("intermediate", intermediate_pem), ("leaf", leaf_pem))}
        der = write(d, "crl.der", root.http_get("/v1/ca/crl")[1])
        crl = subprocess.run(["openssl", "crl", "-inform", "DER", "-in", der], capture_output=True, text=True).stdout
        files["crl"] = write(d, "crl.pem", crl)
        runs = [
            [f"{VENV_BIN}/lint_pkix_cert", "lint", "-s", "WARNING", files["root"]],
            [f"{VENV_BIN}/lint_pkix_cert", "lint", "-s", "WARNING", files["intermediate"]],
            [f"{VENV_BIN}/lint_pkix_cert", "lint", "-s", "WARNING", files["leaf"]],
            [f"{VENV_BIN}/lint_pkix_signer_signee_cert_chain", "lint", "-s", "WARNING", files["root"],
             files["intermediate"]],
            [f"{VENV_BIN}/lint_pkix_signer_signee_cert_chain", "lint", "-s", "WARNING", files["intermediate"],
             files["leaf"]],
            [f"{VENV_BIN}/lint_crl", "lint", "-t", "CRL", "-p", "PKIX", "-s", "WARNING", files["crl"]],
        ]
        for command in runs:
            result = subprocess.run(command, capture_output=True, text=True)
            assert result.returncode == 0, (command[0], command[-1], result.stdout, result.stderr)


def test_bad_requests_change_nothing(root):
    root.add_cloud("ca-charlie", "pw")
    _, csr = make_csr()
    assert issue(root, "nobody-registered", csr)[0] == 404
    assert issue(root, "ca-charlie", "not a csr at all")[0] == 400
    tampered = csr.replace(csr.splitlines()[3][:8], "AAAAAAAA", 1)
    status, body = issue(root, "ca-charlie", tampered)
    assert status == 400, body
    assert json.loads(body)["message"]
    assert root.http("POST", "/v1/certificates/ffff/revoke")[0] == 404  # a serial we never issued
    status, body = root.http("POST", "/v1/clouds/ca-charlie/certificates", csr.encode(), token=False)
    assert status == 401


def test_external_login_with_an_issued_certificate_and_refusal_after_revocation(root):
    jid = root.add_cloud("ca-delta", "pw")
    key, csr = make_csr()
    status, body = issue(root, "ca-delta", csr)
    assert status == 201
    leaf = x509.load_pem_x509_certificate(split_pem(body.decode())[0].encode())
    with tempfile.TemporaryDirectory() as d:
        certfile = write(d, "client.pem", body.decode())
        keyfile = write(d, "client.key", key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode())

        async def external():
            client = await login(root, jid, "", mech="EXTERNAL", certfile=certfile, keyfile=keyfile)
            assert client.boundjid.bare == jid
            await asyncio.sleep(0.1)
            client.disconnect(wait=0)

        asyncio.run(external())
        serial = format(leaf.serial_number, "x")
        assert root.http("POST", f"/v1/certificates/{serial}/revoke", {"reason": "superseded"})[0] == 200
        with pytest.raises(LoginFailed):
            asyncio.run(external())


def test_cli_issue_revoke_and_crl():
    with tempfile.TemporaryDirectory() as data:
        from conftest import run_cli
        assert run_cli("ca", "init", "--data-dir", data).returncode == 0
        assert run_cli("registry", "add", "ca-echo", "--data-dir", data).returncode == 0
        _, csr = make_csr()
        path = write(data, "req.pem", csr)
        issued = run_cli("ca", "issue", "--csr", path, "--cloud", "ca-echo", "--data-dir", data)
        assert issued.returncode == 0, issued.stderr
        leaf = x509.load_pem_x509_certificate(split_pem(issued.stdout)[0].encode())
        assert run_cli("ca", "issue", "--csr", path, "--cloud", "nobody", "--data-dir", data).returncode == 64
        revoked = run_cli("ca", "revoke", format(leaf.serial_number, "x"), "--reason", "superseded", "--data-dir", data)
        assert revoked.returncode == 0, revoked.stderr
        crl = run_cli("ca", "crl", "--data-dir", data)
        assert crl.returncode == 0 and "BEGIN X509 CRL" in crl.stdout
        text = subprocess.run(["openssl", "crl", "-text", "-noout"], input=crl.stdout, capture_output=True,
                              text=True).stdout
        assert format(leaf.serial_number, "X").lstrip("0") in text.replace(":", "").upper()


def test_cli_and_server_share_the_revocation_ledger(root):
    """The CLI works on the data directory while the server runs: neither loses the other's records."""
    from conftest import run_cli
    root.add_cloud("ca-foxtrot", "pw")
    _, csr1 = make_csr()
    status, body = issue(root, "ca-foxtrot", csr1)  # issued by the server
    assert status == 201
    server_serial = format(x509.load_pem_x509_certificate(split_pem(body.decode())[0].encode()).serial_number, "x")
    with tempfile.TemporaryDirectory() as d:
        _, csr2 = make_csr()
        path = write(d, "req.pem", csr2)
        issued = run_cli("ca", "issue", "--csr", path, "--cloud", "ca-foxtrot", "--data-dir", root.data_dir,
                         "--domain", root.domain)
        assert issued.returncode == 0, issued.stderr
    cli_serial = format(x509.load_pem_x509_certificate(split_pem(issued.stdout)[0].encode()).serial_number, "x")
    # The server can revoke what the CLI issued, and the CLI what the server issued.
    assert root.http("POST", f"/v1/certificates/{cli_serial}/revoke")[0] == 200
    revoked = run_cli("ca", "revoke", server_serial, "--data-dir", root.data_dir, "--domain", root.domain)
    assert revoked.returncode == 0, revoked.stderr
    crl = subprocess.run(["openssl", "crl", "-inform", "DER", "-text", "-noout"],
                         input=root.http_get("/v1/ca/crl")[1], capture_output=True).stdout.decode()
    listed = crl.replace(":", "").upper()
    for serial in (server_serial, cli_serial):
        assert serial.upper().lstrip("0") in listed, (serial, crl)
