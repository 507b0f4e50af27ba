"""Server-to-server federation (RFC 6120 §4–§6, XEP-0178, XEP-0220): two of our roots with SASL EXTERNAL and with
dialback, forged addresses, queue limits and failures, then Prosody and ejabberd from Debian's packages, each on
loopback with its own domain, exchanging messages and presence with a root in both directions."""
import asyncio
import base64
import contextlib
import os
import re
import socket
import ssl
import subprocess
import tempfile

import pytest
from slixmpp.xmlstream import ET

from conftest import BIN, Root
from federation import Ejabberd, Prosody, FederationCA, free_port, installed
from xmpp_clients import close, inbox, login


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 240))


async def wait_for(predicate, timeout=30):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def errors(client):
    """Collects error messages (bounces) into a list of (id, condition)."""
    seen = []
    client.add_event_handler("message_error", lambda m: seen.append((m["id"], m["error"]["condition"])))
    return seen


def send_with_id(client, to, body, mid):
    message = client.make_message(mto=to, mbody=body, mtype="chat")
    message["id"] = mid
    message.send()


def presence_log(client):
    log = []
    client.add_event_handler("presence", lambda p: log.append((p["from"].bare, p["type"])))
    return log


async def message_both_ways(ca, cb):
    """`ca` and `cb` live on different servers: a message each way arrives with its body."""
    qa, qb = inbox(ca), inbox(cb)
    for c in (ca, cb):
        c.send_presence()  # available, so that messages to the bare JID are delivered rather than stored
    await asyncio.sleep(0.5)
    ca.send_message(mto=cb.boundjid.bare, mbody="hello across", mtype="chat")
    got = await asyncio.wait_for(qb.get(), 30)
    assert got["body"] == "hello across" and got["from"].bare == ca.boundjid.bare
    cb.send_message(mto=ca.boundjid.bare, mbody="and back", mtype="chat")
    got = await asyncio.wait_for(qa.get(), 30)
    assert got["body"] == "and back" and got["from"].bare == cb.boundjid.bare


async def subscribe_both_ways(ca, cb):
    """RFC 6121 §3 across servers: each side subscribes in turn, the other approves, and the subscriber then sees
    the contact's available presence."""
    for c in (ca, cb):
        c.auto_authorize = True
        c.auto_subscribe = False
        await c.get_roster()
    la, lb = presence_log(ca), presence_log(cb)
    ca.send_presence()
    cb.send_presence()
    a, b = ca.boundjid.bare, cb.boundjid.bare
    ca.send_presence_subscription(pto=b)
    assert await wait_for(lambda: ca.client_roster[b]["subscription"] in ("to", "both")), ca.client_roster[b]
    assert await wait_for(lambda: (b, "available") in la), la
    cb.send_presence_subscription(pto=a)
    assert await wait_for(lambda: cb.client_roster[a]["subscription"] in ("to", "both")), cb.client_roster[a]
    assert await wait_for(lambda: (a, "available") in lb), lb
    assert await wait_for(lambda: ca.client_roster[b]["subscription"] == "both"), ca.client_roster[b]
    cb.send_presence(pshow="away")
    assert await wait_for(lambda: (b, "away") in la), la


def ca_init(data_dir, domain):
    """`intercloud ca init` for a root that is not running yet; returns the file with its chain (its trust anchor
    for the other root)."""
    result = subprocess.run([BIN, "ca", "init", "--data-dir", data_dir, "--domain", domain],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    path = os.path.join(data_dir, "chain-for-peers.pem")
    with open(path, "w") as f:
        f.write(result.stdout)
    return path


@contextlib.contextmanager
def root_pair(trust_each_other, extra=()):
    """Two roots, a.localhost and b.localhost, with static routes to each other's s2s port; with
    `trust_each_other` each has the other's CA chain as an s2s trust anchor, so SASL EXTERNAL works."""
    with tempfile.TemporaryDirectory(prefix="intercloud-s2s-") as tmp:
        dirs = {d: os.path.join(tmp, d) for d in ("a", "b")}
        chains = {d: ca_init(path, f"{d}.localhost") for d, path in dirs.items()}
        ports = {d: free_port() for d in dirs}
        roots = {}
        try:
            for d, other in (("a", "b"), ("b", "a")):
                args = ["--s2s-route", f"{other}.localhost=127.0.0.1:{ports[other]}",
                        "--s2s-route", f"directory.{other}.localhost=127.0.0.1:{ports[other]}", *extra]
                if trust_each_other:
                    args += ["--s2s-trust-anchors", chains[other]]
                roots[d] = Root(dirs[d], extra_args=args + ["--s2s-port", str(ports[d])], domain=f"{d}.localhost")
            yield roots["a"], roots["b"]
            for d, root in roots.items():
                assert root.stop() == 0, log_text(root)[-3000:]
        except BaseException:
            for d, root in roots.items():
                print(f"--- root {d} log ---\n" + log_text(root)[-8000:])
            raise
        finally:
            for root in roots.values():
                root.stop()


def log_text(root):
    return "".join(root.log_lines)


def test_roots_federate_with_sasl_external():
    with root_pair(trust_each_other=True) as (ra, rb):
        assert ra.ports["s2s"] > 0 and "s2s=" in log_text(ra)
        a = ra.add_cloud("alpha", "pw-a")
        b = rb.add_cloud("bravo", "pw-b")

        async def scenario():
            ca = await login(ra, a, "pw-a")
            cb = await login(rb, b, "pw-b")
            await message_both_ways(ca, cb)
            await subscribe_both_ways(ca, cb)
            # The remote server's own features answer across domains too (disco#info to the domain).
            info = await ca.plugin["xep_0030"].get_info(jid=rb.domain, timeout=20)
            assert "http://jabber.org/protocol/disco#info" in info["disco_info"]["features"]
            # A directory query crosses domains: alpha on a asks b's directory, which answers from its own address.
            # (b learns of bravo, registered through the CLI, within its 2 s registry sweep.)
            names = []
            for _ in range(20):
                iq = ca.make_iq_get(ito="directory.b.localhost")
                match = ET.Element("{urn:intercloud:match:0}match")
                ET.SubElement(match, "{urn:intercloud:match:0}sparql").text = (
                    "SELECT ?name WHERE { ?c <https://w3id.org/intercloud/ns#name> ?name }")
                iq.append(match)
                answer = await iq.send(timeout=20)
                assert answer["from"].bare == "directory.b.localhost"
                names = [e.text for e in answer.xml.iter("{http://www.w3.org/2005/sparql-results#}literal")]
                if names:
                    break
                await asyncio.sleep(0.5)
            assert names == ["bravo"], names
            await close(ca, cb)

        run(scenario())
        for root, peer in ((ra, "b.localhost"), (rb, "a.localhost")):
            text = log_text(root)
            assert "s2s.method=EXTERNAL" in text and f"s2s.peer={peer}" in text, text[-3000:]
            assert "s2s dialback checked" not in text


def test_roots_fall_back_to_dialback_without_trusted_certificates():
    with root_pair(trust_each_other=False) as (ra, rb):
        a = ra.add_cloud("alpha", "pw-a")
        b = rb.add_cloud("bravo", "pw-b")

        async def scenario():
            ca = await login(ra, a, "pw-a")
            cb = await login(rb, b, "pw-b")
            await message_both_ways(ca, cb)
            await subscribe_both_ways(ca, cb)
            await close(ca, cb)

        run(scenario())
        for root in (ra, rb):
            text = log_text(root)
            assert "s2s dialback checked" in text and "outcome=valid" in text, text[-3000:]
            assert "s2s peer authenticated" not in text


def test_untrusted_peers_are_refused_when_dialback_is_off():
    with root_pair(trust_each_other=False, extra=["--s2s-dialback", "false"]) as (ra, rb):
        a = ra.add_cloud("alpha", "pw-a")
        rb.add_cloud("bravo", "pw-b")

        async def scenario():
            ca = await login(ra, a, "pw-a")
            bounced = errors(ca)
            send_with_id(ca, "bravo@b.localhost", "let me in", "m1")
            assert await wait_for(lambda: bounced, timeout=40), bounced
            assert bounced == [("m1", "remote-server-not-found")]
            await close(ca)

        run(scenario())


class FakeServer:
    """A hand-driven s2s peer (domain `fake.localhost`, certificate from the test CA) to send what real servers
    never would."""

    def __init__(self, root, crt, key, domain="fake.localhost"):
        self.root, self.domain = root, domain
        self.sock = socket.create_connection(("127.0.0.1", root.ports["s2s"]), timeout=15)
        self.buffer = b""
        self.open()
        self.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        self.read_until(r"<proceed[^>]*/>")
        context = ssl.create_default_context(cafile=root.ca_file)
        context.load_cert_chain(crt, key)
        self.sock = context.wrap_socket(self.sock, server_hostname=root.domain)
        self.buffer = b""
        features = self.open()
        assert "EXTERNAL" in features, features
        authzid = base64.b64encode(domain.encode()).decode()
        self.send(f"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>{authzid}</auth>")
        assert "success" in self.read_until(r"<success[^>]*(/>|</success>)|</failure>")
        self.buffer = b""
        self.open()

    def open(self):
        self.send(f"<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                  f"xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' "
                  f"from='{self.domain}' to='{self.root.domain}' version='1.0'>")
        return self.read_until(r"</stream:features>|<stream:features/>")

    def send(self, text):
        self.sock.sendall(text.encode())

    def read_until(self, pattern):
        regex = re.compile(pattern.encode())
        while not regex.search(self.buffer):
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError(self.buffer.decode(errors="replace"))
            self.buffer += chunk
        match = regex.search(self.buffer)
        out, self.buffer = self.buffer[: match.end()], self.buffer[match.end():]
        return out.decode(errors="replace")

    def read_to_close(self):
        data = self.buffer
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return data.decode(errors="replace")
            data += chunk


def test_external_with_a_federation_ca_and_a_forged_from_gets_invalid_from():
    with tempfile.TemporaryDirectory(prefix="intercloud-s2s-") as tmp:
        ca = FederationCA(tmp)
        crt, key = ca.issue("fake.localhost")
        root = Root(os.path.join(tmp, "root"), extra_args=["--s2s-trust-anchors", ca.pem_path])
        try:
            a = root.add_cloud("alpha", "pw-a")

            async def scenario():
                client = await login(root, a, "pw-a")
                received = inbox(client)
                client.send_presence()
                await asyncio.sleep(0.5)
                peer = await asyncio.to_thread(FakeServer, root, crt, key)
                peer.send(f"<message from='friend@fake.localhost/x' to='{a}' type='chat'><body>genuine</body></message>")
                got = await asyncio.wait_for(received.get(), 20)
                assert got["body"] == "genuine" and got["from"] == "friend@fake.localhost/x"
                peer.send(f"<message from='mallory@evil.localhost' to='{a}' type='chat'><body>forged</body></message>")
                closing = await asyncio.to_thread(peer.read_to_close)
                assert "invalid-from" in closing, closing
                await asyncio.sleep(0.5)
                assert received.empty()
                await close(client)

            run(scenario())
        finally:
            root.stop()


def test_queue_overflow_timeout_and_unreachable_domains_bounce():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts TCP connections and never says a word
    closed_port = free_port()
    with tempfile.TemporaryDirectory(prefix="intercloud-s2s-") as tmp:
        root = Root(tmp, extra_args=[
            "--s2s-route", f"silent.localhost=127.0.0.1:{silent.getsockname()[1]}",
            "--s2s-route", f"closed.localhost=127.0.0.1:{closed_port}",
            "--s2s-max-queue", "2", "--s2s-connect-timeout", "3"])
        try:
            a = root.add_cloud("alpha", "pw-a")

            async def scenario():
                client = await login(root, a, "pw-a")
                bounced = errors(client)
                for i in range(1, 4):
                    send_with_id(client, "someone@silent.localhost", f"#{i}", f"q{i}")
                assert await wait_for(lambda: ("q3", "resource-constraint") in bounced, timeout=10), bounced
                assert await wait_for(lambda: len(bounced) == 3, timeout=20), bounced
                assert sorted(bounced) == [("q1", "remote-server-timeout"), ("q2", "remote-server-timeout"),
                                           ("q3", "resource-constraint")]
                send_with_id(client, "someone@closed.localhost", "hello?", "c1")
                assert await wait_for(lambda: ("c1", "remote-server-not-found") in bounced, timeout=20), bounced
                # iq requests bounce too, as iq errors (RFC 6120 §8.3.1).
                with pytest.raises(Exception) as failure:
                    await client.plugin["xep_0030"].get_info(jid="closed.localhost", timeout=20)
                assert "remote-server-not-found" in str(failure.value)
                await close(client)

            run(scenario())
        finally:
            root.stop()
            silent.close()


# --- Interop with Prosody and ejabberd (Debian packages) -----------------------------------------------------------

ROOT_DOMAIN = "localhost"  # ejabberd resolves peers itself: /etc/hosts maps this one to 127.0.0.1


@contextlib.contextmanager
def interop(kind, auth):
    """A root for `localhost` and one peer server of `kind` with domain KIND.localhost. With `auth` "external" each
    trusts the other's CA, so both directions use SASL EXTERNAL; with "dialback" neither does, so both directions
    fall back to dialback (XEP-0220), including the verification connections back to the authoritative server."""
    if not installed(kind):
        pytest.skip(f"{kind} is not installed (scripts/install-deps.sh installs it)")
    with tempfile.TemporaryDirectory(prefix=f"intercloud-{kind}-") as tmp:
        os.chmod(tmp, 0o755)
        ca = FederationCA(tmp)
        peer_domain = f"{kind}.localhost"
        peer_s2s = free_port()
        root_dir = os.path.join(tmp, "root")
        chain = ca_init(root_dir, ROOT_DOMAIN)
        args = ["--s2s-route", f"{peer_domain}=127.0.0.1:{peer_s2s}"]
        if auth == "external":
            args += ["--s2s-trust-anchors", ca.pem_path]
        else:
            chain = os.path.join(tmp, "nothing-trusted.pem")  # the peer trusts only its own CA
            open(chain, "w").close()
        root = Root(root_dir, domain=ROOT_DOMAIN, extra_args=args)
        peer = None
        try:
            peer_dir = os.path.join(tmp, kind)
            os.makedirs(peer_dir)
            users = {"bob": "pw-bob"}
            if kind == "prosody":
                peer = Prosody(peer_dir, peer_domain, ca, chain, {ROOT_DOMAIN: root.ports["s2s"]}, users, s2s=peer_s2s)
            else:
                peer = Ejabberd(peer_dir, peer_domain, ca, chain, root.ports["s2s"], users, s2s=peer_s2s)
            yield root, peer
            peer.stop()
            assert root.stop() == 0, log_text(root)[-3000:]
        finally:
            if peer is not None:
                peer.stop()
            root.stop()


@pytest.mark.parametrize("auth", ["external", "dialback"])
@pytest.mark.parametrize("kind", ["prosody", "ejabberd"])
def test_interop_messages_and_presence_both_ways(kind, auth):
    with interop(kind, auth) as (root, peer):
        alice = root.add_cloud("alice", "pw-alice")
        bob = f"bob@{peer.domain}"

        async def scenario():
            ca = await login(root, alice, "pw-alice")
            cb = await login(peer.endpoint, bob, "pw-bob")
            await message_both_ways(ca, cb)
            await subscribe_both_ways(ca, cb)
            info = await cb.plugin["xep_0030"].get_info(jid=root.domain, timeout=30)
            assert "http://jabber.org/protocol/disco#info" in info["disco_info"]["features"]
            await close(ca, cb)

        try:
            run(scenario())
        except BaseException:
            size = None if os.environ.get("S2S_DUMP_LOGS") else -6000
            print(f"--- {kind} log ---\n" + open(peer.log, errors="replace").read()[size:])
            print("--- root log ---\n" + log_text(root)[size:])
            raise
        text = log_text(root)
        if auth == "external":
            assert "s2s peer authenticated" in text and "s2s dialback checked" not in text, text[-3000:]
        else:
            assert "outcome=valid" in text and "s2s peer authenticated" not in text, text[-3000:]
        if os.environ.get("S2S_DUMP_LOGS"):
            print(f"--- {kind} log ---\n" + open(peer.log, errors="replace").read())
            print("--- root log ---\n" + log_text(root))
