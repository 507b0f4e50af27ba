"""Client helpers: slixmpp for standard logins, and a small raw-socket client for sending bad input."""
import asyncio
import base64
import re
import socket
import ssl

import slixmpp


class LoginFailed(Exception):
    pass


async def login(root, jid, password, *, mech=None, direct_tls=False, timeout=30, plugins=(), certfile=None,
                keyfile=None, credentials=None):
    """Logs a slixmpp client in (STARTTLS or direct TLS), verifying the server against the root's CA chain;
    `credentials` overrides SASL credentials (e.g. the GSSAPI authzid, slixmpp's 'username')."""
    client = slixmpp.ClientXMPP(jid, password, sasl_mech=mech)
    client.credentials.update(credentials or {})
    client.ca_certs = root.ca_file
    if certfile:
        client.certfile, client.keyfile = certfile, keyfile
    client.enable_direct_tls = direct_tls
    client.enable_starttls = not direct_tls
    client.enable_plaintext = False
    client.register_plugin("xep_0030")
    client.register_plugin("xep_0199")
    client.register_plugin("xep_0092")
    client.register_plugin("xep_0203")
    for plugin in plugins:
        client.register_plugin(plugin)
    loop = asyncio.get_running_loop()
    started = loop.create_future()

    def done(result=None, error=None):
        if not started.done():
            started.set_exception(error) if error else started.set_result(result)

    client.add_event_handler("session_start", lambda _: done(True))
    client.add_event_handler("failed_all_auth", lambda _: done(error=LoginFailed("authentication failed")))
    client.add_event_handler("ssl_invalid_chain", lambda e: done(error=LoginFailed(f"invalid chain: {e}")))
    client.connect(host="127.0.0.1", port=root.c2s_tls if direct_tls else root.c2s)
    try:
        await asyncio.wait_for(started, timeout)
    except BaseException:
        client.disconnect(wait=0)
        raise
    return client


async def close(*clients):
    for c in clients:
        c.disconnect(wait=1)
    await asyncio.sleep(0.2)


def inbox(client):
    """Collects received messages into an asyncio.Queue."""
    queue = asyncio.Queue()
    client.add_event_handler("message", lambda msg: queue.put_nowait(msg))
    return queue


class RawClient:
    """A blocking raw XMPP client that logs in with STARTTLS + PLAIN and binds, to send hand-made bytes."""

    def __init__(self, root, timeout=10):
        self.root = root
        self.sock = socket.create_connection(("127.0.0.1", root.c2s), timeout=timeout)
        self.buffer = b""

    def send(self, data):
        self.sock.sendall(data.encode() if isinstance(data, str) else data)

    def read_until(self, pattern, timeout=10):
        self.sock.settimeout(timeout)
        regex = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        while not regex.search(self.buffer):
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed before %r; got %r" % (pattern, self.buffer[-500:]))
            self.buffer += chunk
        match = regex.search(self.buffer)
        out = self.buffer[: match.end()]
        self.buffer = self.buffer[match.end():]
        return out.decode(errors="replace")

    def read_to_close(self, timeout=10):
        """Everything until the server closes the connection."""
        self.sock.settimeout(timeout)
        data = self.buffer
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return data.decode(errors="replace")
            data += chunk

    def open_stream(self):
        self.send(f"<?xml version='1.0'?><stream:stream to='{self.root.domain}' xmlns='jabber:client' "
                  "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")
        return self.read_until(r"</stream:features>")

    def starttls(self):
        self.open_stream()
        self.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        self.read_until(r"<proceed[^>]*/>")
        context = ssl.create_default_context(cafile=self.root.ca_file)
        self.sock = context.wrap_socket(self.sock, server_hostname=self.root.domain)
        self.buffer = b""
        return self.open_stream()

    def login(self, user, password, resource="raw"):
        self.starttls()
        token = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
        self.send(f"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{token}</auth>")
        reply = self.read_until(r"<success[^>]*(/>|</success>)|</failure>")
        if "success" not in reply:
            raise LoginFailed(reply)
        self.buffer = b""
        self.open_stream()
        self.send(f"<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                  f"<resource>{resource}</resource></bind></iq>")
        return self.read_until(r"</iq>")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
