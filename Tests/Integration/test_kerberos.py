"""SASL GSSAPI on c2s (RFC 4752, RFC 6120 §6) against a private MIT KDC: real clients (python-gssapi driving the SASL
exchange over a raw stream, and slixmpp's own GSSAPI mechanism) log in as registered clouds; unknown principals,
suspended clouds, tickets for another service, replayed tokens and foreign authzids are refused with the right SASL
condition and a log line naming the reason."""
import asyncio
import base64
import os
import re
import shutil
import subprocess
import tempfile
import time

import gssapi  # python-gssapi (requirements.txt), built against libkrb5-dev
import pytest

from conftest import BIN, ROOT as REPO, Root
from kdc import KDC, REALM, missing_tools
from test_ldap import ADMIN, BASE, free_port
from xmpp_clients import RawClient, login

SERVICE_HOST = "intercloud.localhost"
SASL = "urn:ietf:params:xml:ns:xmpp-sasl"

if missing_tools():
    pytest.fail(f"Kerberos KDC tools missing ({', '.join(missing_tools())}): run scripts/install-deps.sh",
                pytrace=False)


@pytest.fixture(scope="module")
def realm():
    kdc = KDC()
    try:
        for name in ("krb-alpha", "krb-bravo", "krb-ghost", "krb-delta"):
            kdc.add_principal(name, f"{name}-pw")
        kdc.add_principal(f"xmpp/{SERVICE_HOST}")
        kdc.add_principal("ldap/localhost")
        kdc.add_principal("intercloud-root")
        # The keytab also holds another service's key: the server must still accept only xmpp/HOST.
        kdc.keytab(kdc.path("xmpp.keytab"), f"xmpp/{SERVICE_HOST}", "ldap/localhost")
        kdc.keytab(kdc.path("ldap.keytab"), "ldap/localhost")
        kdc.keytab(kdc.path("root-client.keytab"), "intercloud-root")
        yield kdc
    finally:
        kdc.stop()


@pytest.fixture(scope="module")
def kroot(realm):
    with tempfile.TemporaryDirectory(prefix="intercloud-it-") as data:
        args = ("--kerberos-keytab", realm.path("xmpp.keytab"), "--kerberos-realm", REALM)
        server = Root(data, extra_args=args, env=realm.env)
        try:
            for name in ("krb-alpha", "krb-bravo", "krb-delta"):
                result = server.cli("registry", "add", name)
                assert result.returncode == 0, result.stderr
            assert server.cli("registry", "suspend", "krb-bravo").returncode == 0
            yield server
        finally:
            server.stop()


@pytest.fixture
def as_principal(realm, monkeypatch):
    """kinit as `name` into a cache of its own and make it this process's default for python-gssapi."""

    def use(name):
        env = realm.ccache_env(name)
        realm.kinit(name, f"{name}-pw", env)
        for key in ("KRB5_CONFIG", "KRB5CCNAME"):
            monkeypatch.setenv(key, env[key])
        return env

    return use


def open_sasl_stream(root):
    raw = RawClient(root)
    features = raw.starttls()
    return raw, features


def read_sasl(raw):
    """The next <challenge/>, <success/> or <failure/>: (name, payload bytes or the failure's XML)."""
    text = raw.read_until(r"<challenge[^>]*/>|</challenge>|<success[^>]*/>|</success>|</failure>")
    kind = re.search(r"<(challenge|success|failure)", text).group(1)
    if kind == "failure":
        return kind, text
    match = re.search(r"<(?:challenge|success)[^>]*>([^<]*)</", text)
    data = match.group(1).strip() if match else ""
    return kind, base64.b64decode(data) if data and data != "=" else b""


def send_sasl(raw, element, payload, mechanism=None):
    data = base64.b64encode(payload).decode() if payload else "="
    attribute = f" mechanism='{mechanism}'" if mechanism else ""
    raw.send(f"<{element} xmlns='{SASL}'{attribute}>{data}</{element}>")


def gssapi_login(root, target=f"xmpp@{SERVICE_HOST}", authzid=b"", initial=None):
    """Drives RFC 4752 §3.1 with python-gssapi over a raw stream; returns (outcome, text, first token)."""
    raw, features = open_sasl_stream(root)
    assert "<mechanism>GSSAPI</mechanism>" in features
    context = gssapi.SecurityContext(
        name=gssapi.Name(target, gssapi.NameType.hostbased_service), usage="initiate",
        mech=gssapi.MechType.kerberos,
        flags=[gssapi.RequirementFlag.mutual_authentication, gssapi.RequirementFlag.integrity])
    first = initial or context.step()
    try:
        send_sasl(raw, "auth", first, mechanism="GSSAPI")
        while True:
            kind, payload = read_sasl(raw)
            if kind == "success":
                return kind, raw, first
            if kind == "failure":
                raw.close()
                return kind, payload, first
            if not context.complete:
                token = context.step(payload)
                send_sasl(raw, "response", token or b"")
            elif not payload:
                send_sasl(raw, "response", b"")
            else:
                offer = context.unwrap(payload).message
                assert offer[0] & 1, offer
                send_sasl(raw, "response", context.wrap(b"\x01\x00\x00\x00" + authzid, False).message)
    except BaseException:
        raw.close()
        raise


def bind(raw, root):
    raw.buffer = b""
    raw.open_stream()
    raw.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>krb</resource>"
             "</bind></iq>")
    reply = raw.read_until(r"</iq>")
    raw.close()
    return re.search(r"<jid>([^<]+)</jid>", reply).group(1)


def wait_for_log(root, needle, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(needle in line for line in root.log_lines):
            return True
        time.sleep(0.05)
    return False


def test_gssapi_is_offered_only_with_a_keytab(kroot, root):
    raw, features = open_sasl_stream(kroot)
    raw.close()
    assert "<mechanism>GSSAPI</mechanism>" in features
    plain, features = open_sasl_stream(root)
    plain.close()
    assert "GSSAPI" not in features


def test_a_kinit_cloud_logs_in_and_is_bound_to_its_jid(kroot, as_principal):
    as_principal("krb-alpha")
    kind, raw, _ = gssapi_login(kroot)
    assert kind == "success"
    assert bind(raw, kroot).startswith(f"krb-alpha@{kroot.domain}/")


def test_an_authzid_equal_to_the_mapped_jid_is_honoured_another_is_refused(kroot, as_principal):
    as_principal("krb-alpha")
    kind, raw, _ = gssapi_login(kroot, authzid=f"krb-alpha@{kroot.domain}".encode())
    assert kind == "success"
    assert bind(raw, kroot).startswith(f"krb-alpha@{kroot.domain}/")
    kind, failure, _ = gssapi_login(kroot, authzid=f"krb-delta@{kroot.domain}".encode())
    assert kind == "failure" and "<invalid-authzid" in failure
    assert wait_for_log(kroot, "asked to act as 'krb-delta@")


def test_concurrent_logins_share_the_acceptor_credential(kroot, as_principal):
    """The acceptor credential is shared by every connection; GSS-API calls run on the blocking thread pool."""
    import concurrent.futures

    as_principal("krb-alpha")

    def one(_):
        kind, raw, _ = gssapi_login(kroot)
        assert kind == "success", raw
        return bind(raw, kroot)

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        jids = list(pool.map(one, range(16)))
    assert all(jid.startswith(f"krb-alpha@{kroot.domain}/") for jid in jids)


def test_a_principal_without_a_registered_cloud_is_refused(kroot, as_principal):
    as_principal("krb-ghost")
    kind, failure, _ = gssapi_login(kroot)
    assert kind == "failure" and "<not-authorized" in failure
    assert wait_for_log(kroot, "principal krb-ghost@INTERCLOUD.TEST maps to cloud krb-ghost, not registered")


def test_a_principal_of_a_suspended_cloud_is_refused(kroot, as_principal):
    as_principal("krb-bravo")
    kind, failure, _ = gssapi_login(kroot)
    assert kind == "failure" and "<account-disabled" in failure
    assert wait_for_log(kroot, "maps to cloud krb-bravo, suspended")
    # Nothing was cached: once reinstated, the same principal logs in.
    assert kroot.cli("registry", "reinstate", "krb-bravo").returncode == 0
    try:
        kind, raw, _ = gssapi_login(kroot)
        assert kind == "success"
        assert bind(raw, kroot).startswith(f"krb-bravo@{kroot.domain}/")
    finally:
        assert kroot.cli("registry", "suspend", "krb-bravo").returncode == 0


def test_a_ticket_for_another_service_is_refused(kroot, as_principal):
    as_principal("krb-alpha")
    kind, failure, _ = gssapi_login(kroot, target="ldap@localhost")
    assert kind == "failure" and "<not-authorized" in failure
    assert wait_for_log(kroot, "wrong-service-principal")


def test_a_replayed_token_is_refused(kroot, as_principal):
    as_principal("krb-alpha")
    kind, raw, first = gssapi_login(kroot)
    assert kind == "success"
    raw.close()
    kind, failure, _ = gssapi_login(kroot, initial=first)
    assert kind == "failure" and "<not-authorized" in failure
    assert wait_for_log(kroot, "replay")


def test_a_garbage_token_is_a_malformed_request(kroot):
    raw, _ = open_sasl_stream(kroot)
    try:
        send_sasl(raw, "auth", b"not a kerberos token", mechanism="GSSAPI")
        kind, failure = read_sasl(raw)
        assert kind == "failure" and "<malformed-request" in failure
    finally:
        raw.close()


def test_slixmpp_gssapi_mechanism_logs_in(kroot, as_principal):
    import kerberos  # noqa: F401 -- slixmpp's GSSAPI mechanism needs pykerberos (requirements.txt)
    as_principal("krb-delta")
    jid = f"krb-delta@{kroot.domain}"

    async def scenario():
        # slixmpp sends its "username" as the authzid, which must be the bare JID (RFC 6120 §6.3.8), and names the
        # service from "service-name" (the connect host would be 127.0.0.1 here).
        client = await login(kroot, jid, "", mech="GSSAPI", credentials={"username": jid, "service-name": SERVICE_HOST})
        try:
            assert str(client.boundjid.bare) == jid
        finally:
            client.disconnect(wait=0)

    asyncio.run(scenario())


def test_a_rotated_service_key_is_used_without_a_restart(realm, as_principal):
    realm.add_principal("xmpp/localhost")
    keytab = realm.keytab(realm.path("rotating.keytab"), "xmpp/localhost")
    with tempfile.TemporaryDirectory(prefix="intercloud-it-") as data:
        args = ("--kerberos-keytab", keytab, "--kerberos-realm", REALM, "--kerberos-host", "localhost")
        server = Root(data, extra_args=args, env=realm.env)
        try:
            assert server.cli("registry", "add", "krb-alpha").returncode == 0
            for rotate in (False, True):
                if rotate:
                    realm.rotate_key(keytab, "xmpp/localhost")
                as_principal("krb-alpha")  # a fresh cache: the service ticket is under the current key
                kind, raw, _ = gssapi_login(server, target="xmpp@localhost")
                assert kind == "success", raw
                raw.close()
        finally:
            server.stop()


def test_serve_refuses_a_keytab_without_the_service_key(realm):
    with tempfile.TemporaryDirectory(prefix="intercloud-it-") as data:
        keytab = realm.keytab(os.path.join(data, "other.keytab"), "ldap/localhost")
        result = subprocess.run(
            [BIN, "serve", "--data-dir", data,
             "--kerberos-keytab", keytab, "--kerberos-realm", REALM, "--c2s-port", "0", "--c2s-tls-port", "0",
             "--http-port", "0"],
            capture_output=True, text=True, timeout=60, env=realm.env)
        assert result.returncode == 64, result.stderr
        assert f"xmpp/{SERVICE_HOST}@{REALM}" in result.stderr


@pytest.fixture
def gssapi_slapd(realm):
    """A private slapd that accepts SASL GSSAPI binds for ldap/localhost and maps the root's principal to its
    rootdn (docs/kerberos.md); the root's client keytab holds `intercloud-root`."""
    directory = tempfile.mkdtemp(prefix="intercloud-slapd-")
    os.makedirs(os.path.join(directory, "db"))
    port = free_port()
    with open(os.path.join(directory, "slapd.conf"), "w") as f:
        f.write(f"""sasl-host localhost
sasl-realm {REALM}
authz-regexp "uid=intercloud-root,cn={REALM.lower()},cn=gssapi,cn=auth" "{ADMIN}"
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include {REPO}/schemas/intercloud.schema
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
    env = dict(realm.env, KRB5_KTNAME="FILE:" + realm.path("ldap.keytab"))
    proc = subprocess.Popen(["/usr/sbin/slapd", "-f", os.path.join(directory, "slapd.conf"),
                             "-h", f"ldap://127.0.0.1:{port}/", "-d", "0"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"ldap://127.0.0.1:{port}"
    for _ in range(100):
        if subprocess.run(["ldapsearch", "-x", "-H", url, "-s", "base", "-b", ""], capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    base = f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: intercloud\no: Intercloud test\n"
    subprocess.run(["ldapadd", "-x", "-H", url, "-D", ADMIN, "-w", "secret"], input=base, text=True, check=True,
                   capture_output=True)
    try:
        yield f"ldap://localhost:{port}", BASE
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


def test_the_root_needs_no_ldap_password_with_kerberos(realm, gssapi_slapd, monkeypatch):
    """`--ldap-sasl-mech GSSAPI`: registry and server bind to LDAP with the root's keytab; a cloud registered there
    logs in over c2s GSSAPI."""
    url, base = gssapi_slapd
    ldap = ("--registry", "ldap", "--ldap-url", url, "--ldap-base-dn", base, "--ldap-sasl-mech", "GSSAPI",
            "--ldap-keytab", realm.path("root-client.keytab"), "--ldap-principal", f"intercloud-root@{REALM}")
    with tempfile.TemporaryDirectory(prefix="intercloud-it-") as data:
        # No credential cache of its own: the root gets its LDAP tickets from the keytab alone.
        env = dict(realm.env, KRB5CCNAME="MEMORY:unused")
        server = Root(data, extra_args=(*ldap, "--kerberos-keytab", realm.path("xmpp.keytab"),
                                        "--kerberos-realm", REALM), env=env)
        try:
            result = server.cli("registry", "add", "krb-alpha", *ldap)
            assert result.returncode == 0, result.stderr
            listed = subprocess.run(["ldapsearch", "-x", "-LLL", "-H", url.replace("localhost", "127.0.0.1"), "-D",
                                     f"cn=admin,{base}", "-w", "secret", "-b", f"ou=clouds,{base}",
                                     "(icCloudName=krb-alpha)", "creatorsName"], capture_output=True, text=True)
            assert "cn=krb-alpha" in listed.stdout, listed.stderr
            env = realm.ccache_env("krb-alpha")
            realm.kinit("krb-alpha", "krb-alpha-pw", env)
            for key in ("KRB5_CONFIG", "KRB5CCNAME"):
                monkeypatch.setenv(key, env[key])
            kind, raw, _ = gssapi_login(server)
            assert kind == "success"
            assert bind(raw, server).startswith(f"krb-alpha@{server.domain}/")
            wrong = server.cli("registry", "list", *ldap[:-2], "--ldap-principal", f"nobody@{REALM}")
            assert wrong.returncode == 1 and "Kerberos" in wrong.stderr, wrong.stderr
        finally:
            server.stop()
