#!/usr/bin/env python3
"""XMPP c2s load generator for Intercloud Root (and any other XMPP server).

Python 3.11 standard library only (asyncio, ssl, expat through ElementTree). It talks only to a loopback
address, and every loop is bounded by a count and by time.

Scenarios:
  login  --clients N logins (accounts user<first>..user<first+N-1>) as fast as --concurrency allows:
         TCP connect, stream open, STARTTLS (--tls, no certificate check), SASL (--mech), stream restart,
         resource bind (and a legacy session only if the server marks it required). No roster get (written
         when Intercloud Root had no rosters; kept so results stay comparable). Latency = TCP connect -> bind result. All connections stay open until the
         last login finished, then every stream is closed.
         -> logins_per_s, login_latency p50/p90/p99/max
  msg    N/2 pairs; every client sends initial <presence/>, then both sides of a pair send type='chat'
         messages to the partner's BARE JID, closed loop with --window messages in flight per sender.
         --warmup seconds are not measured, then --duration seconds are.
         -> delivered_per_s, latency (send -> receive, same process clock) p50/p90/p99/max, lost

With --pid the server's CPU (% of one core) and RSS (/proc/PID) are reported; loadgen_cpu_pct is this process
(near 100 means the generator, not the server, is the limit); other_cpu_pct is the rest of the machine.
The last line printed is `RESULT {json}`.
"""

import argparse
import asyncio
import base64
import collections
import hashlib
import hmac
import json
import os
import resource
import secrets
import ssl
import sys
import time
import xml.etree.ElementTree as ET

NS_STREAM = "http://etherx.jabber.org/streams"
NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls"
NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind"
NS_SESSION = "urn:ietf:params:xml:ns:xmpp-session"
CLIENT = "{jabber:client}"
SCRAM_HASHES = {"SCRAM-SHA-1": "sha1", "SCRAM-SHA-256": "sha256"}
now = time.perf_counter


class XMPPError(Exception):
    pass


def local(tag):
    return tag.rsplit("}", 1)[-1]


def b64(data):
    return base64.b64encode(data).decode()


class Client:
    """One minimal XMPP client connection."""

    def __init__(self, args, user):
        self.args, self.user = args, user
        self.bare = f"{user}@{args.domain}"
        self.jid = None
        self.reader = self.writer = None
        self.on_stanza = None
        self.closed = asyncio.Event()
        self.task = None
        self.next_id = 0

    # --- XML stream -------------------------------------------------------------------------------------------
    def _reset_parser(self):
        self.parser = ET.XMLPullParser(events=("start", "end"))
        self.depth, self.root, self.queue = 0, None, collections.deque()

    def _feed(self, data):
        self.parser.feed(data)
        for event, el in self.parser.read_events():
            if event == "start":
                self.depth += 1
                if self.depth == 1:
                    self.root = el
            else:
                self.depth -= 1
                if self.depth == 1:  # one complete top-level element
                    self.queue.append(el)
                    self.root.remove(el)
                elif self.depth == 0:  # </stream:stream>
                    self.queue.append(None)

    async def read(self):
        while not self.queue:
            data = await self.reader.read(65536)
            if not data:
                raise ConnectionError("connection closed by server")
            self._feed(data)
        el = self.queue.popleft()
        if el is None:
            raise ConnectionError("stream closed by server")
        if el.tag == f"{{{NS_STREAM}}}error":
            raise XMPPError("stream error: " + ",".join(local(c.tag) for c in el))
        return el

    def send(self, text):
        self.writer.write(text.encode())

    async def open_stream(self):
        self._reset_parser()
        self.send(
            f"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='{NS_STREAM}' "
            f"to='{self.args.domain}' version='1.0'>")
        el = await self.read()
        if el.tag != f"{{{NS_STREAM}}}features":
            raise XMPPError(f"expected stream features, got {local(el.tag)}")
        return el

    async def iq(self, payload, kind):
        self.next_id += 1
        iq_id = f"q{self.next_id}"
        self.send(f"<iq type='{kind}' id='{iq_id}'>{payload}</iq>")
        for _ in range(1000):  # bounded: other stanzas may arrive before the reply
            el = await self.read()
            if el.tag == CLIENT + "iq" and el.get("id") == iq_id:
                if el.get("type") != "result":
                    raise XMPPError(f"iq failed: {ET.tostring(el)[:160]!r}")
                return el
            self.dispatch(el)
        raise XMPPError("no iq reply")

    # --- login ------------------------------------------------------------------------------------------------
    async def login(self):
        a = self.args
        self.reader, self.writer = await asyncio.open_connection(a.host, a.port, limit=1 << 20)
        features = await self.open_stream()
        if a.tls:
            if features.find(f"{{{NS_TLS}}}starttls") is None:
                raise XMPPError("STARTTLS not offered")
            self.send(f"<starttls xmlns='{NS_TLS}'/>")
            if (await self.read()).tag != f"{{{NS_TLS}}}proceed":
                raise XMPPError("STARTTLS refused")
            await self.writer.start_tls(tls_context(), server_hostname=a.domain)
            features = await self.open_stream()
        mechanisms = [m.text for m in features.iter(f"{{{NS_SASL}}}mechanism")]
        if a.mech not in mechanisms:
            raise XMPPError(f"{a.mech} not offered (offered: {mechanisms})")
        if a.mech == "PLAIN":
            await self.sasl_plain()
        else:
            await self.sasl_scram(SCRAM_HASHES[a.mech])
        features = await self.open_stream()
        bound = await self.iq(f"<bind xmlns='{NS_BIND}'><resource>{a.resource}</resource></bind>", "set")
        self.jid = bound.findtext(f".//{{{NS_BIND}}}jid")
        session = features.find(f"{{{NS_SESSION}}}session")
        if session is not None and session.find(f"{{{NS_SESSION}}}optional") is None:
            await self.iq(f"<session xmlns='{NS_SESSION}'/>", "set")

    async def sasl_reply(self):
        el = await self.read()
        name = local(el.tag)
        if name == "failure":
            raise XMPPError("SASL failure: " + ",".join(local(c.tag) for c in el))
        text = (el.text or "").strip()
        return name, base64.b64decode(text) if text and text != "=" else b""

    async def sasl_plain(self):
        token = b64(f"\0{self.user}\0{self.args.password}".encode())
        self.send(f"<auth xmlns='{NS_SASL}' mechanism='PLAIN'>{token}</auth>")
        name, _ = await self.sasl_reply()
        if name != "success":
            raise XMPPError(f"unexpected SASL reply {name}")

    async def sasl_scram(self, hash_name):
        """RFC 5802 client, no channel binding (gs2 header "n,,")."""
        nonce = secrets.token_urlsafe(18)
        first_bare = f"n={self.user},r={nonce}"
        self.send(f"<auth xmlns='{NS_SASL}' mechanism='{self.args.mech}'>{b64(('n,,' + first_bare).encode())}</auth>")
        name, server_first = await self.sasl_reply()
        if name != "challenge":
            raise XMPPError(f"unexpected SASL reply {name}")
        attrs = dict(kv.split("=", 1) for kv in server_first.decode().split(","))
        if not attrs.get("r", "").startswith(nonce) or "s" not in attrs or "i" not in attrs:
            raise XMPPError("bad SCRAM server-first message")
        salted = hashlib.pbkdf2_hmac(hash_name, self.args.password.encode(), base64.b64decode(attrs["s"]),
                                     int(attrs["i"]))
        client_key = hmac.digest(salted, b"Client Key", hash_name)
        stored_key = hashlib.new(hash_name, client_key).digest()
        final_bare = f"c=biws,r={attrs['r']}"
        auth_message = f"{first_bare},{server_first.decode()},{final_bare}".encode()
        signature = hmac.digest(stored_key, auth_message, hash_name)
        proof = bytes(x ^ y for x, y in zip(client_key, signature))
        self.send(f"<response xmlns='{NS_SASL}'>{b64((final_bare + ',p=' + b64(proof)).encode())}</response>")
        name, server_final = await self.sasl_reply()
        server_key = hmac.digest(salted, b"Server Key", hash_name)
        expected = "v=" + b64(hmac.digest(server_key, auth_message, hash_name))
        if name == "challenge":  # some servers send v= as a challenge, then success
            self.send(f"<response xmlns='{NS_SASL}'/>")
            name2, _ = await self.sasl_reply()
            name = "success" if name2 == "success" else name2
        if name != "success" or server_final.decode() != expected:
            raise XMPPError("SCRAM server signature mismatch")

    # --- after login ------------------------------------------------------------------------------------------
    def dispatch(self, el):
        if self.on_stanza:
            self.on_stanza(self, el)

    def start_reading(self):
        async def loop():
            try:
                while True:
                    self.dispatch(await self.read())
            except (ConnectionError, XMPPError, OSError, ET.ParseError, ssl.SSLError):
                pass
            finally:
                self.closed.set()

        self.task = asyncio.get_running_loop().create_task(loop())

    async def close(self):
        try:
            if self.task is None:
                self.start_reading()
            self.send("</stream:stream>")
            await asyncio.wait_for(self.closed.wait(), 5)
        except Exception:
            pass
        self.abort()

    def abort(self):
        if self.task is not None and not self.task.done():
            self.task.cancel()
        if self.writer is not None:
            self.writer.close()


_TLS = None


def tls_context():
    global _TLS
    if _TLS is None:
        _TLS = ssl.create_default_context()
        _TLS.check_hostname = False
        _TLS.verify_mode = ssl.CERT_NONE
    return _TLS


# --- measurement ------------------------------------------------------------------------------------------------
def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))] if sorted_values else None


def latency_summary(values):
    s = sorted(values)
    ms = lambda v: None if v is None else round(v * 1000, 2)
    return {"n": len(s), "p50_ms": ms(percentile(s, 0.5)), "p90_ms": ms(percentile(s, 0.9)),
            "p99_ms": ms(percentile(s, 0.99)), "max_ms": ms(s[-1] if s else None)}


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None


def cpu_seconds(pid):
    """(server user+sys, this process user+sys, whole machine busy) in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    server = 0.0
    if pid:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    me = resource.getrusage(resource.RUSAGE_SELF)
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return server, me.ru_utime + me.ru_stime, (sum(v) - v[3] - v[4]) / tick


class Meter:
    """Wall time, CPU of server / generator / rest of machine, and server RSS (sampled by the caller)."""

    def __init__(self, pid):
        self.pid = pid
        self.t0 = now()
        self.c0 = cpu_seconds(pid)
        self.rss_start = rss_kb(pid) if pid else None
        self.rss_peak = self.rss_start

    def sample(self):
        if self.pid:
            r = rss_kb(self.pid)
            if r is not None:
                self.rss_peak = max(self.rss_peak or 0, r)

    async def sampler(self, stop):
        for _ in range(100000):  # bounded; stops with the scenario
            if stop.is_set():
                return
            self.sample()
            try:
                await asyncio.wait_for(stop.wait(), 0.5)
            except asyncio.TimeoutError:
                pass

    def result(self):
        self.sample()
        wall = now() - self.t0
        s1, c1, m1 = cpu_seconds(self.pid)
        s0, c0, m0 = self.c0
        pct = lambda x: round(100 * x / wall, 1)
        self.server_cpu = s1 - s0
        out = {"wall_s": round(wall, 3), "loadgen_cpu_pct": pct(c1 - c0)}
        if self.pid:
            out.update(server_cpu_pct=pct(s1 - s0), other_cpu_pct=pct((m1 - m0) - (s1 - s0) - (c1 - c0)),
                       server_rss_start_kb=self.rss_start, server_rss_peak_kb=self.rss_peak,
                       server_rss_end_kb=rss_kb(self.pid))
        return out


def accounts(a, n):
    return [f"user{i}" for i in range(a.first, a.first + n)]


async def login_all(a, users, presence):
    gate = asyncio.Semaphore(a.concurrency)
    latencies, errors = [], collections.Counter()

    async def one(user):
        async with gate:
            c = Client(a, user)
            t0 = now()
            try:
                await asyncio.wait_for(c.login(), a.timeout)
            except Exception as e:  # counted, never retried
                errors[f"{type(e).__name__}: {str(e)[:100]}"] += 1
                c.abort()
                return None
            latencies.append(now() - t0)
            if presence:
                c.send("<presence/>")
            c.start_reading()
            return c

    clients = await asyncio.gather(*(one(u) for u in users))
    return [c for c in clients if c], latencies, dict(errors)


async def close_all(clients):
    await asyncio.gather(*(c.close() for c in clients))


# --- scenarios ----------------------------------------------------------------------------------------------------
async def scenario_login(a):
    meter = Meter(a.pid)
    stop = asyncio.Event()
    sampler = asyncio.create_task(meter.sampler(stop))
    clients, latencies, errors = await login_all(a, accounts(a, a.clients), presence=False)
    res = meter.result()
    stop.set()
    await sampler
    n = len(clients)
    res.update(ok=n, failed=a.clients - n, errors=errors, logins_per_s=round(n / res["wall_s"], 1),
               login_latency=latency_summary(latencies),
               server_cpu_ms_per_login=round(meter.server_cpu * 1e3 / n, 3) if a.pid and n else None)
    await close_all(clients)
    return res


async def scenario_msg(a):
    n = a.clients - a.clients % 2
    clients, login_latencies, errors = await login_all(a, accounts(a, n), presence=True)
    if len(clients) < 2:
        return {"ok": len(clients), "errors": errors, "error": "fewer than 2 clients logged in"}
    pairs = [(clients[i], clients[i + 1]) for i in range(0, len(clients) - 1, 2)]
    st = {"measuring": False, "received": 0, "received_total": 0, "sent": 0, "latency": [], "stanza_errors": 0}
    windows = {}
    pad = "x" * max(0, a.msg_size - 40)

    def on_stanza(conn, el):
        if el.tag != CLIENT + "message":
            return
        if el.get("type") == "error":
            st["stanza_errors"] += 1
            return
        body = el.findtext(CLIENT + "body")
        if not body or not body.startswith("m "):
            return
        _, sender, stamp, _ = body.split(" ", 3)
        st["received_total"] += 1
        if st["measuring"]:
            st["received"] += 1
            st["latency"].append((time.perf_counter_ns() - int(stamp)) / 1e9)
        w = windows.get(sender)
        if w is not None:
            w.release()

    for c in clients:
        c.on_stanza = on_stanza
    await asyncio.sleep(1)  # let initial presence settle

    async def sender(src, dst, stop_at):
        window = windows[src.user] = asyncio.Semaphore(a.window)
        seq = 0
        while now() < stop_at and not src.closed.is_set() and seq < a.max_msgs_per_sender:
            try:
                await asyncio.wait_for(window.acquire(), max(0.01, stop_at - now()))
            except asyncio.TimeoutError:
                break
            if now() >= stop_at:
                break
            seq += 1
            src.send(f"<message to='{dst.bare}' type='chat' id='m{seq}'><body>m {src.user} "
                     f"{time.perf_counter_ns()} {pad}</body></message>")
            st["sent"] += 1
            await src.writer.drain()

    stop_at = now() + a.warmup + a.duration
    tasks = [asyncio.create_task(sender(x, y, stop_at)) for p in pairs for x, y in (p, p[::-1])]
    await asyncio.sleep(a.warmup)
    st["measuring"] = True
    meter = Meter(a.pid)
    stop = asyncio.Event()
    sampler = asyncio.create_task(meter.sampler(stop))
    await asyncio.sleep(max(0.0, stop_at - now()))
    st["measuring"] = False
    res = meter.result()
    stop.set()
    await sampler
    await asyncio.gather(*tasks)
    for _ in range(100):  # drain: up to 10 s for messages still in flight
        if st["received_total"] >= st["sent"]:
            break
        await asyncio.sleep(0.1)
    res.update(ok=len(clients), errors=errors, pairs=len(pairs), window=a.window,
               delivered_per_s=round(st["received"] / res["wall_s"], 1), sent_total=st["sent"],
               received_total=st["received_total"], lost=st["sent"] - st["received_total"],
               stanza_errors=st["stanza_errors"], latency=latency_summary(st["latency"]),
               login_latency=latency_summary(login_latencies),
               server_cpu_us_per_msg=round(meter.server_cpu * 1e6 / st["received"], 2)
               if a.pid and st["received"] else None)
    await close_all(clients)
    return res


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", choices=["login", "msg"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5222)
    p.add_argument("--domain", default="intercloud.localhost")
    p.add_argument("--password", default="pass")
    p.add_argument("--clients", "-c", type=int, default=100, help="clients (accounts user<first>..)")
    p.add_argument("--first", type=int, default=1, help="index of the first account")
    p.add_argument("--mech", default="PLAIN", choices=["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"])
    p.add_argument("--tls", action=argparse.BooleanOptionalAction, default=True,
                   help="STARTTLS before SASL, no certificate check (default: on)")
    p.add_argument("--concurrency", type=int, default=100, help="logins in flight")
    p.add_argument("--timeout", type=float, default=30, help="per-login timeout, s")
    p.add_argument("--duration", "-d", type=float, default=10, help="msg: measured seconds")
    p.add_argument("--warmup", type=float, default=2, help="msg: seconds of load before measuring")
    p.add_argument("--window", type=int, default=5, help="msg: messages in flight per sender")
    p.add_argument("--msg-size", type=int, default=100, help="msg: approximate body size, bytes")
    p.add_argument("--max-msgs-per-sender", type=int, default=10_000_000, help="msg: hard cap per sender")
    p.add_argument("--resource", default="load")
    p.add_argument("--pid", type=int, default=0, help="server PID: CPU and RSS from /proc")
    p.add_argument("--cpu", type=int, help="pin this generator to this core")
    p.add_argument("--label", default="")
    a = p.parse_args()
    if not (a.host == "localhost" or a.host.startswith("127.")):
        sys.exit("refusing a non-loopback host")
    if a.clients < 1 or a.clients > 19000 or a.concurrency < 1 or a.window < 1:
        sys.exit("bad --clients/--concurrency/--window")
    if a.cpu is not None:
        os.sched_setaffinity(0, {a.cpu})
    scenario = {"login": scenario_login, "msg": scenario_msg}[a.scenario]
    hard_limit = a.timeout * (1 + a.clients / a.concurrency) + a.warmup + a.duration + 60
    res = asyncio.run(asyncio.wait_for(scenario(a), hard_limit))
    res = {"scenario": a.scenario, "label": a.label, "clients": a.clients, "mech": a.mech, "tls": a.tls,
           "concurrency": a.concurrency, **res, "loadgen_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    for k, v in res.items():
        print(f"{k:>26}: {v}")
    print("RESULT " + json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
