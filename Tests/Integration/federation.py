"""Helpers for the server-to-server tests: a throw-away federation CA, and Prosody and ejabberd from Debian's
packages run as our own processes, on loopback only, each with its own domain, stopped by PID."""
import datetime
import os
import shutil
import socket
import subprocess
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=60, proc=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}:\n{read(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}:\n{read(log)}")


def read(path):
    if not path or not os.path.exists(path):
        return ""
    with open(path, errors="replace") as f:
        return f.read()[-5000:]


def stop(proc, timeout=15):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


class FederationCA:
    """A federation CA for peer servers: P-256, server certificates with SAN dNSName and EKU serverAuth +
    clientAuth (RFC 6120 §13.7.1.2), so they serve both directions of s2s."""

    def __init__(self, directory, name="Test Federation CA"):
        self.directory = directory
        self.key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.cert = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256()))
        self.pem_path = os.path.join(directory, "federation-ca.pem")
        with open(self.pem_path, "wb") as f:
            f.write(self.cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, domain, extra_dns=()):
        """Writes DOMAIN.crt (leaf then nothing else: the CA is the anchor) and DOMAIN.key; returns both paths."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (
            x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)]))
            .issuer_name(self.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in (domain, *extra_dns)]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256()))
        crt = os.path.join(self.directory, f"{domain}.crt")
        key_path = os.path.join(self.directory, f"{domain}.key")
        with open(crt, "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        with open(key_path, "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
        os.chmod(key_path, 0o644)  # read by the server process, which may run as another user
        return crt, key_path


class Endpoint:
    """What xmpp_clients.login needs to reach a server: its CA file and c2s port."""

    def __init__(self, ca_file, c2s):
        self.ca_file = ca_file
        self.c2s = c2s
        self.c2s_tls = None


# Prosody has no static s2s routes; this module (loaded from the test's plugin_paths) makes listed domains resolve
# to a fixed HOST:PORT instead of DNS SRV/A lookups, so everything stays on loopback.
PROSODY_ROUTES_MODULE = r"""
module:set_global();
local basic = require "net.resolvers.basic";
local manual = require "net.resolvers.manual";
local service = require "net.resolvers.service";
local routes = module:get_option("s2s_static_routes", {});
if not service._static_routes_original then
	service._static_routes_original = service.new;
end
local original = service._static_routes_original;
service.new = function(hostname, srv, conn_type, extra)
	local route = routes[hostname];
	if route then
		if srv == "xmpp-server" then
			return basic.new(route[1], route[2], conn_type, extra);
		end
		return manual.new({}, conn_type, extra);
	end
	return original(hostname, srv, conn_type, extra);
end
"""


class Prosody:
    """Prosody 0.12 (Debian package) with domain `domain`, c2s and s2s on free loopback ports, TLS certificate
    from `ca`, peers' certificates checked against `trust_file`, and `routes` {domain: port} for s2s."""

    def __init__(self, directory, domain, ca, trust_file, routes, users, s2s=None):
        self.directory = directory
        self.domain = domain
        self.c2s = free_port()
        self.s2s = s2s or free_port()
        crt, key = ca.issue(domain)
        os.makedirs(os.path.join(directory, "data"), exist_ok=True)
        os.makedirs(os.path.join(directory, "plugins"), exist_ok=True)
        with open(os.path.join(directory, "plugins", "mod_s2s_static_routes.lua"), "w") as f:
            f.write(PROSODY_ROUTES_MODULE)
        cafile = os.path.join(directory, "cafile.pem")
        with open(cafile, "w") as out:
            for path in (trust_file, ca.pem_path):
                out.write(read_all(path))
        route_table = ", ".join(f'["{d}"] = {{ "127.0.0.1", {p} }}' for d, p in routes.items())
        self.log = os.path.join(directory, "prosody.log")
        self.config = os.path.join(directory, "prosody.cfg.lua")
        with open(self.config, "w") as f:
            f.write(f"""
run_as_root = true
pidfile = "{directory}/prosody.pid"
data_path = "{directory}/data"
certificates = "{directory}"
plugin_paths = {{ "{directory}/plugins" }}
log = {{ {{ levels = {{ min = "debug" }}, to = "file", filename = "{self.log}" }} }}
interfaces = {{ "127.0.0.1" }}
local_interfaces = {{ "127.0.0.1" }}
c2s_ports = {{ {self.c2s} }}
s2s_ports = {{ {self.s2s} }}
c2s_direct_tls_ports = {{}}
s2s_direct_tls_ports = {{}}
http_ports = {{}}
https_ports = {{}}
modules_enabled = {{ "roster", "saslauth", "tls", "dialback", "disco", "ping", "presence", "s2s_static_routes" }}
modules_disabled = {{ "s2s_bidi", "posix" }}
s2s_static_routes = {{ {route_table} }}
authentication = "internal_hashed"
storage = "internal"
s2s_secure_auth = false
s2s_require_encryption = true
c2s_require_encryption = true
ssl = {{ cafile = "{cafile}" }}
VirtualHost "{domain}"
  ssl = {{ certificate = "{crt}", key = "{key}" }}
""")
        for user, password in users.items():
            result = subprocess.run(["prosodyctl", "--config", self.config, "register", user, domain, password],
                                    capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stdout + result.stderr
        self.proc = subprocess.Popen(["prosody", "--config", self.config, "-F"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.STDOUT)
        wait_port(self.c2s, proc=self.proc, log=self.log)
        wait_port(self.s2s, proc=self.proc, log=self.log)
        self.endpoint = Endpoint(ca.pem_path, self.c2s)

    def stop(self):
        stop(self.proc)


def read_all(path):
    with open(path) as f:
        text = f.read()
    return text if text.endswith("\n") else text + "\n"


def installed(kind):
    """Whether the Debian package of `kind` (prosody or ejabberd) is there."""
    return os.path.exists({"prosody": "/usr/bin/prosody", "ejabberd": "/usr/sbin/ejabberdctl"}[kind])


class Ejabberd:
    """ejabberd 23.01 (Debian package) started with `erl` as our own process, without Erlang distribution (no epmd,
    no node port), with domain `domain` on free loopback ports. ejabberd has no static s2s routes: it resolves
    peers with DNS SRV then getaddrinfo, so the peer domain must be one /etc/hosts maps to 127.0.0.1 (`localhost`),
    SRV queries go to a closed loopback port (an inetrc), and `outgoing_s2s_port` is the peer's s2s port."""

    EBIN = "/usr/lib/x86_64-linux-gnu"

    def __init__(self, directory, domain, ca, trust_file, peer_port, users, s2s=None):
        self.directory = directory
        self.domain = domain
        self.c2s = free_port()
        self.s2s = s2s or free_port()
        crt, key = ca.issue(domain)
        bundle = os.path.join(directory, "ejabberd.pem")
        with open(bundle, "w") as out:
            out.write(read_all(crt) + read_all(key) + read_all(ca.pem_path))
        cafile = os.path.join(directory, "s2s-ca.pem")
        with open(cafile, "w") as out:
            out.write(read_all(trust_file) + read_all(ca.pem_path))
        spool = os.path.join(directory, "spool")
        os.makedirs(spool, exist_ok=True)
        self.log = os.path.join(directory, "ejabberd.log")
        inetrc = os.path.join(directory, "inetrc")
        with open(inetrc, "w") as f:
            f.write('{lookup, [file, native]}.\n{resolv_conf, ""}.\n{hosts_file, ""}.\n'
                    '{host, {127,0,0,1}, ["localhost"]}.\n{nameserver, {127,0,0,1}, 9}.\n{timeout, 200}.\n'
                    '{retry, 1}.\n')
        config = os.path.join(directory, "ejabberd.yml")
        with open(config, "w") as f:
            f.write(f"""hosts:
  - {domain}
loglevel: debug
log_rotate_count: 0
certfiles:
  - {bundle}
s2s_cafile: {cafile}
s2s_use_starttls: required
outgoing_s2s_port: {peer_port}
outgoing_s2s_families: [ipv4]
s2s_dns_timeout: 2
s2s_dns_retries: 1
listen:
  - port: {self.c2s}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls_required: true
  - port: {self.s2s}
    ip: "127.0.0.1"
    module: ejabberd_s2s_in
modules:
  mod_roster: {{}}
  mod_disco: {{}}
  mod_ping: {{}}
  mod_s2s_dialback: {{}}
auth_method: internal
default_db: mnesia
""")
        register = "".join(
            f'ejabberd_auth:try_register(<<"{u}">>, <<"{domain}">>, <<"{p}">>), ' for u, p in users.items())
        env = dict(os.environ, EJABBERD_CONFIG_PATH=config, EJABBERD_LOG_PATH=self.log, ERL_INETRC=inetrc,
                   ERL_LIBS=self.EBIN, HOME=directory, ERL_CRASH_DUMP=os.path.join(directory, "erl_crash.dump"))
        self.stdout = os.path.join(directory, "stdout.log")
        with open(self.stdout, "w") as out:
            self.proc = subprocess.Popen(
                [shutil.which("erl") or "/usr/bin/erl", "-noinput", "-noshell", "-mnesia", "dir", f'"{spool}"',
                 "-s", "ejabberd", "-eval", register + 'io:format("users registered~n").'],
                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=directory)
        wait_port(self.c2s, timeout=120, proc=self.proc, log=self.log)
        wait_port(self.s2s, timeout=30, proc=self.proc, log=self.log)
        deadline = time.monotonic() + 60
        while "users registered" not in read(self.stdout):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("ejabberd did not register the test users:\n" + read(self.stdout))
            time.sleep(0.2)
        self.endpoint = Endpoint(ca.pem_path, self.c2s)

    def stop(self):
        stop(self.proc)
