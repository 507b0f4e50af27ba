#!/usr/bin/env python3
"""Presence fan-out benchmark: one hub account with K mutually subscribed contacts.

Python 3.11 standard library only (asyncio + ssl); the XMPP client (STARTTLS, SASL, bind) is the one of
c2s_load.py. It talks only to a loopback address, and every loop is bounded by a count and by time.

For one K (--contacts K, accounts user<first> = hub, user<first+1>..user<first+K> = contacts):
  1. login:  the hub, then the K contacts (--concurrency in flight): TCP connect, stream open, STARTTLS, SASL
             PLAIN, stream restart, bind, roster get; each client then sends initial <presence/> (an unavailable
             client would not be shown subscription requests, RFC 6121 section 3.1.3).
  2. setup:  mutual subscriptions through the protocol: every contact sends <presence type='subscribe'/> to
             the hub; the hub answers each request with 'subscribed' and a 'subscribe' of its own; a contact
             answers the hub's request with 'subscribed'. Roster pushes are acknowledged and tracked. Setup is
             complete when every roster item on both sides says subscription='both' and the hub and every
             contact have each received the other's available presence; bounded by --setup-timeout.
  3. fan-out: the hub sends --updates presence changes (<presence><status>u I STAMP</status></presence>), one
             at a time: update I+1 is sent once all K contacts received update I (or after --update-timeout).
             Per recipient: latency send -> receive (this process's clock); per update: broadcast-complete
             latency send -> last recipient.

Server CPU is read from /proc/PID/task/*/schedstat (nanoseconds, all threads), RSS from /proc/PID/status.
loadgen_cpu_pct is this process (near 100 means the generator, not the server, is the limit); other_cpu_pct
is the rest of the machine (from /proc/stat), all in % of one core. The last line is `RESULT {json}`.
"""

import argparse
import asyncio
import collections
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from c2s_load import CLIENT, Client, XMPPError, latency_summary, rss_kb  # noqa: E402

NS_ROSTER = "jabber:iq:roster"
now = time.perf_counter


def server_cpu_s(pid):
    """CPU time of every live thread of pid, seconds (schedstat: ns resolution)."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for t in tasks[:10000]:
        try:
            with open(f"/proc/{pid}/task/{t}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e9


def machine_busy_s():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def self_cpu_s():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Window:
    """CPU of server / generator / rest of the machine over one phase."""

    def __init__(self, pid):
        self.pid, self.t0 = pid, now()
        self.s0, self.g0, self.m0 = server_cpu_s(pid) if pid else None, self_cpu_s(), machine_busy_s()

    def result(self, prefix=""):
        wall = now() - self.t0
        s1, g1, m1 = server_cpu_s(self.pid) if self.pid else None, self_cpu_s(), machine_busy_s()
        gen = g1 - self.g0
        out = {f"{prefix}wall_s": round(wall, 3), f"{prefix}loadgen_cpu_pct": round(100 * gen / wall, 1)}
        if self.pid and s1 is not None and self.s0 is not None:
            srv = s1 - self.s0
            self.server_cpu = srv
            out[f"{prefix}server_cpu_s"] = round(srv, 4)
            out[f"{prefix}server_cpu_pct"] = round(100 * srv / wall, 1)
            out[f"{prefix}other_cpu_pct"] = round(100 * ((m1 - self.m0) - srv - gen) / wall, 1)
        return out


async def run(a):
    users = [f"user{i}" for i in range(a.first, a.first + a.contacts + 1)]
    hub_user, contact_users = users[0], users[1:]
    rss_before = rss_kb(a.pid) if a.pid else None
    st = {"stanza_errors": 0, "roster_pushes": 0, "late": 0, "dups": 0, "lat": [], "cur": None}
    errors = collections.Counter()
    hub = None

    def on_stanza(conn, el):
        tag = el.tag
        if tag == CLIENT + "iq":
            q = el.find(f"{{{NS_ROSTER}}}query")
            if el.get("type") == "set" and q is not None:  # roster push: track, acknowledge
                st["roster_pushes"] += 1
                for item in q.iter(f"{{{NS_ROSTER}}}item"):
                    sub = item.get("subscription")
                    if sub == "remove":
                        conn.roster.pop(item.get("jid"), None)
                    else:
                        conn.roster[item.get("jid")] = sub
                conn.send(f"<iq type='result' id='{el.get('id')}'/>")
            return
        if tag != CLIENT + "presence":
            return
        typ = el.get("type")
        frm = (el.get("from") or "").split("/")[0]
        if typ is None:
            status = el.findtext(CLIENT + "status") or ""
            if status.startswith("u ") and hub is not None and conn is not hub and frm == hub.bare:
                t = time.perf_counter_ns()
                _, i, stamp = status.split(" ", 2)
                i = int(i)
                cur = st["cur"]
                if cur is None or cur["i"] != i:
                    st["late"] += 1
                    return
                if conn.last_update == i:
                    st["dups"] += 1
                    return
                conn.last_update = i
                st["lat"].append((t - int(stamp)) / 1e9)
                cur["waiting"] -= 1
                if cur["waiting"] == 0:
                    cur["last_ns"] = t
                    cur["ev"].set()
            else:
                conn.seen.add(frm)
        elif typ == "unavailable":
            conn.seen.discard(frm)
        elif typ == "subscribe":
            if conn is hub:  # approve, and subscribe back
                conn.send(f"<presence to='{frm}' type='subscribed'/>")
                if frm not in conn.asked:
                    conn.asked.add(frm)
                    conn.send(f"<presence to='{frm}' type='subscribe'/>")
            elif hub is not None and frm == hub.bare:
                conn.send(f"<presence to='{frm}' type='subscribed'/>")
        elif typ == "error":
            st["stanza_errors"] += 1

    gate = asyncio.Semaphore(a.concurrency)
    login_lat = []

    async def login(user):
        async with gate:
            c = Client(a, user)
            c.roster, c.seen, c.asked, c.last_update = {}, set(), set(), -1
            t0 = now()
            try:
                await asyncio.wait_for(c.login(), a.timeout)
                c.on_stanza = on_stanza
                res = await asyncio.wait_for(c.iq(f"<query xmlns='{NS_ROSTER}'/>", "get"), a.timeout)
            except Exception as e:  # counted, never retried
                errors[f"{type(e).__name__}: {str(e)[:100]}"] += 1
                c.abort()
                return None
            login_lat.append(now() - t0)
            for item in res.iter(f"{{{NS_ROSTER}}}item"):
                c.roster[item.get("jid")] = item.get("subscription")
            c.send("<presence/>")
            c.start_reading()
            return c

    # 1. login
    w_login = Window(a.pid)
    hub = await login(hub_user)
    if hub is None:
        return {"ok": 0, "errors": dict(errors), "error": "hub login failed"}
    contacts = [c for c in await asyncio.gather(*(login(u) for u in contact_users)) if c]
    res = {"ok": len(contacts) + 1, "login_errors": dict(errors), "login_latency": latency_summary(login_lat)}
    res.update(w_login.result("login_"))
    if len(contacts) < a.contacts:
        res["error"] = f"only {len(contacts)} of {a.contacts} contacts logged in"

    # 2. mutual subscriptions through the protocol
    def contact_done(c):
        return (hub.roster.get(c.bare) == "both" and c.roster.get(hub.bare) == "both"
                and c.bare in hub.seen and hub.bare in c.seen)

    w_setup = Window(a.pid)
    already = sum(contact_done(c) for c in contacts)
    for c in contacts:
        if c.roster.get(hub.bare) not in ("to", "both"):
            c.send(f"<presence to='{hub.bare}' type='subscribe'/>")
    limit = now() + a.setup_timeout
    done = already
    for _ in range(int(a.setup_timeout / 0.05) + 2):
        done = sum(contact_done(c) for c in contacts)
        if done == len(contacts) or now() >= limit:
            break
        await asyncio.sleep(0.05)
    res.update(w_setup.result("setup_"))
    res.update(setup_complete=done == len(contacts) and len(contacts) == a.contacts, setup_contacts_done=done,
               setup_already_subscribed=already, setup_s=res["setup_wall_s"],
               setup_total_s=round(res["login_wall_s"] + res["setup_wall_s"], 3),
               hub_roster_both=sum(1 for v in hub.roster.values() if v == "both"),
               server_rss_after_setup_kb=rss_kb(a.pid) if a.pid else None)
    await asyncio.sleep(a.settle)  # let the initial presence / subscription traffic settle
    st["late"] = 0

    # 3. fan-out: the expected recipients are the contacts subscribed to the hub
    recipients = [c for c in contacts if c.roster.get(hub.bare) in ("to", "both")]
    res["recipients"] = len(recipients)
    complete, timeouts, missing, per_update = [], 0, 0, []
    rss_peak = rss_kb(a.pid) if a.pid else None
    w = Window(a.pid)
    for i in range(a.updates):
        cur = st["cur"] = {"i": i, "waiting": len(recipients), "ev": asyncio.Event(), "last_ns": None}
        if not recipients:
            break
        t0 = time.perf_counter_ns()
        hub.send(f"<presence><status>u {i} {t0}</status></presence>")
        await hub.writer.drain()
        try:
            await asyncio.wait_for(cur["ev"].wait(), a.update_timeout)
            complete.append((cur["last_ns"] - t0) / 1e9)
            per_update.append(round((cur["last_ns"] - t0) / 1e6, 2))
        except asyncio.TimeoutError:
            timeouts += 1
            missing += cur["waiting"]
            per_update.append(None)
        if a.pid:
            r = rss_kb(a.pid)
            if r is not None:
                rss_peak = max(rss_peak or 0, r)
    res.update(w.result("updates_"))
    st["cur"] = None
    n_del = len(st["lat"])
    wall = res["updates_wall_s"]
    srv = getattr(w, "server_cpu", None)
    res.update(updates=a.updates, updates_timed_out=timeouts, deliveries=n_del, missing_deliveries=missing,
               duplicate_deliveries=st["dups"], deliveries_per_s=round(n_del / wall, 1) if wall else None,
               broadcasts_per_s=round(len(complete) / wall, 1) if wall else None,
               delivery_latency=latency_summary(st["lat"]), broadcast_complete_latency=latency_summary(complete),
               broadcast_complete_ms_per_update=per_update,
               server_cpu_ms_per_broadcast=round(srv * 1e3 / a.updates, 3) if srv is not None else None,
               server_cpu_us_per_delivery=round(srv * 1e6 / n_del, 2) if srv is not None and n_del else None,
               server_rss_before_kb=rss_before, server_rss_peak_kb=rss_peak,
               stanza_errors=st["stanza_errors"], roster_pushes=st["roster_pushes"])
    await asyncio.gather(*(c.close() for c in [hub, *contacts]))
    res["server_rss_end_kb"] = rss_kb(a.pid) if a.pid else None
    return res


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5222)
    p.add_argument("--domain", default="intercloud.localhost")
    p.add_argument("--password", default="pass")
    p.add_argument("--contacts", "-k", type=int, default=10, help="K: contacts of the hub")
    p.add_argument("--first", type=int, default=1, help="hub = user<first>, contacts user<first+1>..<first+K>")
    p.add_argument("--updates", "-n", type=int, default=20, help="presence updates sent by the hub")
    p.add_argument("--mech", default="PLAIN", choices=["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"])
    p.add_argument("--tls", action=argparse.BooleanOptionalAction, default=True,
                   help="STARTTLS before SASL, no certificate check (default: on)")
    p.add_argument("--concurrency", type=int, default=100, help="logins in flight")
    p.add_argument("--timeout", type=float, default=30, help="per-login timeout, s")
    p.add_argument("--setup-timeout", type=float, default=300, help="subscription setup bound, s")
    p.add_argument("--update-timeout", type=float, default=10, help="per-update bound, s")
    p.add_argument("--settle", type=float, default=2, help="pause after setup, s")
    p.add_argument("--resource", default="load")
    p.add_argument("--pid", type=int, default=0, help="server PID: CPU and RSS from /proc")
    p.add_argument("--cpu", type=int, help="pin this generator to this core")
    p.add_argument("--label", default="")
    a = p.parse_args()
    if not (a.host == "localhost" or a.host.startswith("127.")):
        sys.exit("refusing a non-loopback host")
    if not (1 <= a.contacts <= 19000 and 1 <= a.updates <= 100000 and a.concurrency >= 1):
        sys.exit("bad --contacts/--updates/--concurrency")
    if a.cpu is not None:
        os.sched_setaffinity(0, {a.cpu})
    hard_limit = (a.timeout * (2 + a.contacts / a.concurrency) + a.setup_timeout + a.settle
                  + a.updates * (a.update_timeout + 1) + 60)
    try:
        res = asyncio.run(asyncio.wait_for(run(a), hard_limit))
    except (asyncio.TimeoutError, XMPPError, OSError) as e:
        res = {"error": f"{type(e).__name__}: {e}"}
    res = {"scenario": "presence_fanout", "label": a.label, "k": a.contacts, "first": a.first, "mech": a.mech,
           "tls": a.tls, **res, "loadgen_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    for k, v in res.items():
        if k != "broadcast_complete_ms_per_update":
            print(f"{k:>28}: {v}")
    print("RESULT " + json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
