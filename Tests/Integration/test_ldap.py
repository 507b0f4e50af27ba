"""`intercloud serve --registry ldap` against a private slapd (CONTRACT §6), read back with plain ldapsearch."""
import asyncio
import base64
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from conftest import ROOT, Root
from test_ca import issue, make_csr, split_pem
from xmpp_clients import login

BASE = "dc=intercloud,dc=test"
ADMIN = f"cn=admin,{BASE}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def slapd():
    directory = tempfile.mkdtemp(prefix="intercloud-slapd-")
    os.makedirs(os.path.join(directory, "db"))
    port = free_port()
    with open(os.path.join(directory, "slapd.conf"), "w") as f:
        f.write(f"""include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include {ROOT}/schemas/intercloud.schema
pidfile {directory}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 104857600
suffix "{BASE}"
rootdn "{ADMIN}"
rootpw secret
directory {directory}/db
dbnosync
""")
    proc = subprocess.Popen(["/usr/sbin/slapd", "-f", os.path.join(directory, "slapd.conf"),
                             "-h", f"ldap://127.0.0.1:{port}/", "-d", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"ldap://127.0.0.1:{port}"
    for _ in range(100):
        if subprocess.run(["ldapsearch", "-x", "-H", url, "-s", "base", "-b", ""], capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    base = f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: intercloud\no: Intercloud test\n"
    subprocess.run(["ldapadd", "-x", "-H", url, "-D", ADMIN, "-w", "secret"], input=base, text=True, check=True,
                   capture_output=True)
    password_file = os.path.join(directory, "ldap.password")
    with open(password_file, "w") as f:
        f.write("secret\n")
    os.chmod(password_file, 0o600)
    try:
        yield url, password_file
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


def ldapsearch(url, base, flt, *attrs):
    out = subprocess.run(["ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H", url, "-D", ADMIN, "-w", "secret",
                          "-b", base, flt, *attrs], capture_output=True, text=True, check=True).stdout
    values = {}
    for line in out.splitlines():
        if ": " in line:
            key, _, value = line.partition(": ")
            if key.endswith(":"):
                values.setdefault(key[:-1], []).append(base64.b64decode(value))
            else:
                values.setdefault(key, []).append(value.encode())
    return values


def test_serve_on_ldap_registry_logs_in_issues_and_publishes(slapd):
    url, password_file = slapd
    flags = ("--registry", "ldap", "--ldap-url", url, "--ldap-base-dn", BASE, "--ldap-bind-dn", ADMIN,
             "--ldap-password-file", password_file)
    with tempfile.TemporaryDirectory(prefix="intercloud-it-") as data:
        root = Root(data, extra_args=flags)
        try:
            result = root.cli("registry", "add", "ldap-alpha", "--password-stdin", "--trust-level", "3", *flags,
                              stdin="pw\n")
            assert result.returncode == 0, result.stderr

            async def scenario():
                client = await login(root, f"ldap-alpha@{root.domain}", "pw", mech="SCRAM-SHA-256")
                client.disconnect(wait=0)

            asyncio.run(scenario())
            _, csr = make_csr()
            status, body = issue(root, "ldap-alpha", csr)
            assert status == 201, body
            leaf_pem = split_pem(body.decode())[0]
            cloud = ldapsearch(url, f"ou=clouds,{BASE}", "(icCloudName=ldap-alpha)")
            assert b"icCloud" in cloud["objectClass"] and b"pkiUser" in cloud["objectClass"]
            assert cloud["icTrustLevel"] == [b"3"]
            der = subprocess.run(["openssl", "x509", "-outform", "DER"], input=leaf_pem.encode(),
                                 capture_output=True).stdout
            assert cloud["userCertificate;binary"] == [der]
            assert not any(b"pw" == v for values in cloud.values() for v in values)
            ca = ldapsearch(url, f"cn=ca,{BASE}", "(objectClass=pkiCA)")
            assert len(ca["cACertificate;binary"]) == 2 and ca["certificateRevocationList;binary"]
        finally:
            root.stop()
