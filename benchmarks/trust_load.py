#!/usr/bin/env python3
"""Load generator for the naming-and-trust benchmark (driver: benchmarks/run_trust.sh).

Subcommands (every one prints one line `RESULT {json}` at the end):

  csrs     --n N --out FILE                      N P-256 keys + PKCS#10 CSRs (PEM, concatenated) into FILE
  issue    --port P --token T --cloud C --csrs FILE --concurrency 4 [--pid PID]
           POST /v1/clouds/C/certificates once per CSR (bounded: N requests, --max-seconds); certs/s, latency
  register --port P --token T --n 1000 --prefix c --concurrency 4 [--pid PID]
           POST /v1/clouds {"name": PREFIXnnnn, "password": ...}; registrations/s
  lookup   --port P --token T --n 1000 --prefix c --duration 10 --concurrency 8 [--pid PID ...]
           GET /v1/clouds/{random name} for DURATION s (after a 1 s warm-up); lookups/s, latency
  ldap     --url U --base DN --bind-dn DN --password-file F --n 1000 --prefix c --duration 10 [--mode filter|base]
           raw slapd searches with ldap3, one connection, one search at a time; searches/s
  cli      --bin B --data-dir D --domain D --cloud C --csrs FILE --n 50
           N sequential `intercloud ca issue` processes; wall time per call (includes process start + CA load)

HTTP: asyncio, HTTP/1.1 keep-alive, one connection per in-flight slot, 127.0.0.1 only. CPU: /proc/PID/stat
(utime+stime, all threads) of the processes given with --pid, this process's own CPU (os.times), and the
machine's busy time from /proc/stat; "other" = machine - pids - generator. Standard library only except
`csrs` (cryptography) and `ldap` (ldap3).
"""
import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------------------------------ CPU accounting
def proc_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime, s (fields 14, 15)
    except (OSError, IndexError, ValueError):
        return None


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return (sum(v[:8]) - idle) / TICK


def own_cpu():
    t = os.times()
    return t.user + t.system


class CPUWindow:
    def __init__(self, pids):
        self.pids = [p for p in pids if p]

    def start(self):
        self.t0 = time.perf_counter()
        self.p0 = {p: proc_cpu(p) for p in self.pids}
        self.g0 = own_cpu()
        self.m0 = machine_busy()

    def stop(self):
        wall = time.perf_counter() - self.t0
        pcpu = {p: (proc_cpu(p) or 0) - (self.p0[p] or 0) for p in self.pids}
        gen = own_cpu() - self.g0
        mach = machine_busy() - self.m0
        out = {"wall_s": round(wall, 3), "loadgen_cpu_pct": round(100 * gen / wall, 1),
               "other_cpu_pct": round(100 * (mach - gen - sum(pcpu.values())) / wall, 1),
               "pid_cpu_s": {str(p): round(c, 3) for p, c in pcpu.items()},
               "pid_cpu_pct": {str(p): round(100 * c / wall, 1) for p, c in pcpu.items()}}
        return out


def pct(values, q):
    if not values:
        return None
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def lat_summary(lat_s):
    ms = [x * 1000 for x in lat_s]
    if not ms:
        return {}
    return {"lat_p50_ms": round(pct(ms, 50), 3), "lat_p90_ms": round(pct(ms, 90), 3),
            "lat_p99_ms": round(pct(ms, 99), 3), "lat_max_ms": round(max(ms), 3),
            "lat_mean_ms": round(statistics.fmean(ms), 3)}


# ------------------------------------------------------------------------------------------------ HTTP/1.1 client
class HTTPConn:
    def __init__(self, port, token):
        self.port, self.token = port, token
        self.reader = self.writer = None

    async def _connect(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method, path, body=b"", ctype="application/json"):
        for attempt in (0, 1):
            if self.writer is None:
                await self._connect()
            head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.token}\r\n"
                    f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
            try:
                self.writer.write(head + body)
                await self.writer.drain()
                line = await self.reader.readline()
                if not line:
                    raise ConnectionError("closed")
                status = int(line.split()[1])
                length, chunked, close = None, False, False
                while True:
                    h = await self.reader.readline()
                    if h in (b"\r\n", b"\n", b""):
                        break
                    k, _, v = h.decode("latin-1").partition(":")
                    k, v = k.strip().lower(), v.strip().lower()
                    if k == "content-length":
                        length = int(v)
                    elif k == "transfer-encoding" and "chunked" in v:
                        chunked = True
                    elif k == "connection" and v == "close":
                        close = True
                if chunked:
                    data = b""
                    while True:
                        n = int((await self.reader.readline()).split(b";")[0], 16)
                        if n == 0:
                            await self.reader.readline()
                            break
                        data += await self.reader.readexactly(n)
                        await self.reader.readline()
                else:
                    data = await self.reader.readexactly(length or 0)
                if close:
                    self.close()
                return status, data
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 1:
                    raise

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run_fixed(port, token, items, concurrency, make_req, ok_status, max_seconds):
    """Runs one request per item with `concurrency` in flight; bounded by len(items) and max_seconds."""
    it = iter(enumerate(items))
    lat, statuses, errors, bodies, done = [], {}, [], {}, []
    deadline = time.perf_counter() + max_seconds

    async def worker():
        conn = HTTPConn(port, token)
        try:
            for i, item in it:
                if time.perf_counter() > deadline:
                    break
                method, path, body, ctype = make_req(item)
                t = time.perf_counter()
                try:
                    st, data = await asyncio.wait_for(conn.request(method, path, body, ctype), 30)
                except Exception as e:  # noqa: BLE001 - record and go on
                    errors.append(repr(e))
                    conn.close()
                    continue
                lat.append(time.perf_counter() - t)
                done.append(time.perf_counter())
                statuses[st] = statuses.get(st, 0) + 1
                if st != ok_status and len(errors) < 5:
                    errors.append(f"{st} {data[:200]!r}")
                if i < 3 or i == len(items) - 1:
                    bodies[i] = data
        finally:
            conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    # completion rate per quarter of the requests (does the rate drift as state grows?)
    q, quarters = len(done) // 4, []
    for k in range(4):
        if q:
            a, b = (done[k * q - 1] if k else t0), done[(k + 1) * q - 1]
            quarters.append(round(q / max(b - a, 1e-9), 1))
    run_fixed.quarters = quarters
    return time.perf_counter() - t0, lat, statuses, errors, bodies


def read_csrs(path):
    text = open(path).read()
    end = "-----END CERTIFICATE REQUEST-----"
    return [p.strip() + "\n" + end + "\n" for p in text.split(end) if "BEGIN" in p]


def names(prefix, n):
    return [f"{prefix}{i:04d}" for i in range(1, n + 1)]


# ------------------------------------------------------------------------------------------------ subcommands
def cmd_csrs(a):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    t0 = time.perf_counter()
    with open(a.out, "w") as f:
        for i in range(a.n):
            key = ec.generate_private_key(ec.SECP256R1())
            csr = (x509.CertificateSigningRequestBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"bench-{i}")]))
                   .sign(key, hashes.SHA256()))
            f.write(csr.public_bytes(serialization.Encoding.PEM).decode())
    return {"csrs": a.n, "gen_s": round(time.perf_counter() - t0, 3)}


def check_chain(csr_pem, chain_pem):
    """The leaf's public key is the CSR's, and the leaf verifies under the next certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec
    csr = x509.load_pem_x509_csr(csr_pem.encode())
    certs = x509.load_pem_x509_certificates(chain_pem)
    leaf = certs[0]
    same_key = leaf.public_key().public_numbers() == csr.public_key().public_numbers()
    leaf.verify_directly_issued_by(certs[1])
    return {"chain_len": len(certs), "leaf_key_is_csr_key": same_key,
            "leaf_subject": leaf.subject.rfc4514_string(),
            "leaf_sig_alg": leaf.signature_algorithm_oid._name}


def cmd_issue(a):
    csrs = read_csrs(a.csrs)[: a.n or None]
    cpu = CPUWindow(a.pid)
    cpu.start()
    wall, lat, st, err, bodies = asyncio.run(run_fixed(
        a.port, a.token, csrs, a.concurrency,
        lambda csr: ("POST", f"/v1/clouds/{a.cloud}/certificates", csr.encode(), "application/pkcs10"),
        201, a.max_seconds))
    c = cpu.stop()
    ok = st.get(201, 0)
    res = {"requests": len(lat), "issued": ok, "statuses": st, "errors": err[:5], "concurrency": a.concurrency,
           "certs_per_s": round(ok / wall, 2), "rate_by_quarter": run_fixed.quarters, **lat_summary(lat), **c}
    if a.pid:
        res["server_cpu_ms_per_cert"] = round(1000 * c["pid_cpu_s"][str(a.pid[0])] / max(ok, 1), 3)
    if 0 in bodies and st.get(201):
        try:
            res["check"] = check_chain(csrs[0], bodies[0])
        except Exception as e:  # noqa: BLE001
            res["check"] = {"error": repr(e)}
    return res


def cmd_register(a):
    items = names(a.prefix, a.n)
    cpu = CPUWindow(a.pid)
    cpu.start()
    wall, lat, st, err, _ = asyncio.run(run_fixed(
        a.port, a.token, items, a.concurrency,
        lambda n: ("POST", "/v1/clouds", json.dumps({"name": n, "password": a.password}).encode(),
                   "application/json"),
        201, a.max_seconds))
    c = cpu.stop()
    ok = st.get(201, 0)
    return {"requests": len(lat), "registered": ok, "statuses": st, "errors": err[:5],
            "concurrency": a.concurrency, "registrations_per_s": round(ok / wall, 2), "rate_by_quarter": run_fixed.quarters,
            **lat_summary(lat), **c}


def cmd_lookup(a):
    pool = names(a.prefix, a.n)
    rng = random.Random(a.seed)
    counted = {"on": False}
    lat, st, err = [], {}, []

    async def main():
        stop_at = time.perf_counter() + a.warmup + a.duration
        budget = {"left": a.max_requests}

        async def worker():
            conn = HTTPConn(a.port, a.token)
            try:
                while time.perf_counter() < stop_at and budget["left"] > 0:
                    budget["left"] -= 1
                    name = rng.choice(pool)
                    t = time.perf_counter()
                    try:
                        s, data = await asyncio.wait_for(conn.request("GET", f"/v1/clouds/{name}"), 30)
                    except Exception as e:  # noqa: BLE001
                        err.append(repr(e))
                        conn.close()
                        continue
                    if counted["on"]:
                        lat.append(time.perf_counter() - t)
                        st[s] = st.get(s, 0) + 1
                        if s != 200 and len(err) < 5:
                            err.append(f"{s} {data[:200]!r}")
            finally:
                conn.close()

        tasks = [asyncio.create_task(worker()) for _ in range(a.concurrency)]
        await asyncio.sleep(a.warmup)
        counted["on"] = True
        cpu = CPUWindow(a.pid)
        cpu.start()
        await asyncio.gather(*tasks)
        return cpu.stop()

    c = asyncio.run(main())
    ok = st.get(200, 0)
    res = {"lookups": len(lat), "ok": ok, "statuses": st, "errors": err[:5], "concurrency": a.concurrency,
           "warmup_s": a.warmup, "lookups_per_s": round(ok / c["wall_s"], 1), **lat_summary(lat), **c}
    if a.pid:
        res["server_cpu_us_per_lookup"] = round(1e6 * c["pid_cpu_s"][str(a.pid[0])] / max(ok, 1), 1)
        if len(a.pid) > 1:
            res["slapd_cpu_us_per_lookup"] = round(1e6 * c["pid_cpu_s"][str(a.pid[1])] / max(ok, 1), 1)
    return res


def cmd_ldap(a):
    import ldap3
    pw = open(a.password_file).read().splitlines()[0]
    server = ldap3.Server(a.url.replace("ldap://", "").split(":")[0], port=int(a.url.rsplit(":", 1)[1]),
                          get_info=ldap3.NONE)
    conn = ldap3.Connection(server, user=a.bind_dn, password=pw, auto_bind=True, client_strategy=ldap3.SYNC,
                            read_only=True)
    pool = names(a.prefix, a.n)
    rng = random.Random(a.seed)
    clouds = f"ou=clouds,{a.base}"

    def one(name):
        if a.mode == "filter":
            conn.search(clouds, f"(icCloudName={name})", search_scope=ldap3.LEVEL, attributes=ldap3.ALL_ATTRIBUTES)
        else:  # what the server's LDAP store does for a lookup: base search on the entry's DN
            conn.search(f"cn={name},{clouds}", "(objectClass=icCloud)", search_scope=ldap3.BASE,
                        attributes=ldap3.ALL_ATTRIBUTES)
        return len(conn.entries)

    end = time.perf_counter() + a.warmup
    while time.perf_counter() < end:
        one(rng.choice(pool))
    cpu = CPUWindow(a.pid)
    cpu.start()
    lat, found, n = [], 0, 0
    stop_at = time.perf_counter() + a.duration
    while time.perf_counter() < stop_at and n < a.max_requests:
        t = time.perf_counter()
        found += one(rng.choice(pool)) == 1
        lat.append(time.perf_counter() - t)
        n += 1
    c = cpu.stop()
    conn.unbind()
    res = {"mode": a.mode, "searches": n, "found_one": found, "searches_per_s": round(n / c["wall_s"], 1),
           "ldap3": ldap3.__version__, **lat_summary(lat), **c}
    if a.pid:
        res["slapd_cpu_us_per_search"] = round(1e6 * c["pid_cpu_s"][str(a.pid[0])] / max(n, 1), 1)
    return res


def cmd_cli(a):
    csrs = read_csrs(a.csrs)
    tmp = a.csrs + ".one"
    times, fails, errs = [], 0, []
    cpu = CPUWindow([])
    cpu.start()
    deadline = time.perf_counter() + a.max_seconds
    for i in range(a.n):
        if time.perf_counter() > deadline:
            break
        with open(tmp, "w") as f:
            f.write(csrs[i % len(csrs)])
        cmd = [a.bin, "ca", "issue", "--csr", tmp, "--cloud", a.cloud,
                                          "--data-dir", a.data_dir, "--domain", a.domain]
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, timeout=60)
        times.append(time.perf_counter() - t)
        if p.returncode != 0 or b"BEGIN CERTIFICATE" not in p.stdout:
            fails += 1
            if len(errs) < 3:
                errs.append(p.stderr[-300:].decode(errors="replace"))
    c = cpu.stop()
    # os.times() includes waited-for children: loadgen_cpu_pct here is generator + the CLI processes
    ms = [x * 1000 for x in times]
    return {"calls": len(times), "failed": fails, "errors": errs,
            "per_call_p50_ms": round(pct(ms, 50), 2), "per_call_mean_ms": round(statistics.fmean(ms), 2),
            "per_call_p99_ms": round(pct(ms, 99), 2), "per_call_max_ms": round(max(ms), 2),
            "per_call_min_ms": round(min(ms), 2), "certs_per_s": round(len(times) / sum(times), 2),
            "cli_cpu_s_total": round(sum(os.times()[2:4]), 3), **c}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    def http(p):
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--token", required=True)
        p.add_argument("--pid", type=int, action="append", default=[], help="processes to account CPU for")
        p.add_argument("--max-seconds", type=float, default=300)

    p = sub.add_parser("csrs")
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--out", required=True)
    p = sub.add_parser("issue")
    http(p)
    p.add_argument("--cloud", required=True)
    p.add_argument("--csrs", required=True)
    p.add_argument("--n", type=int, default=0)
    p.add_argument("--concurrency", type=int, default=4)
    p = sub.add_parser("register")
    http(p)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--prefix", default="c")
    p.add_argument("--password", default="bench-password")
    p.add_argument("--concurrency", type=int, default=4)
    p = sub.add_parser("lookup")
    http(p)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--prefix", default="c")
    p.add_argument("--duration", type=float, default=10)
    p.add_argument("--warmup", type=float, default=1)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--max-requests", type=int, default=2_000_000)
    p.add_argument("--seed", type=int, default=1)
    p = sub.add_parser("ldap")
    p.add_argument("--url", required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--bind-dn", required=True)
    p.add_argument("--password-file", required=True)
    p.add_argument("--pid", type=int, action="append", default=[])
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--prefix", default="c")
    p.add_argument("--mode", choices=["filter", "base"], default="filter")
    p.add_argument("--duration", type=float, default=10)
    p.add_argument("--warmup", type=float, default=1)
    p.add_argument("--max-requests", type=int, default=2_000_000)
    p.add_argument("--seed", type=int, default=1)
    p = sub.add_parser("cli")
    p.add_argument("--bin", required=True)
    p.add_argument("--data-dir", required=True)
    p.add_argument("--domain", required=True)
    p.add_argument("--cloud", required=True)
    p.add_argument("--csrs", required=True)
    p.add_argument("--n", type=int, default=50)
    p.add_argument("--max-seconds", type=float, default=300)

    a = ap.parse_args()
    res = globals()["cmd_" + a.cmd](a)
    print("RESULT " + json.dumps(res), flush=True)


if __name__ == "__main__":
    sys.exit(main())
