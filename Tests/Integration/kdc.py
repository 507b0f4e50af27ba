"""A throw-away MIT Kerberos KDC for tests (recipe in docs/kerberos.md): a realm database, krb5.conf and kdc.conf in
a temporary directory, krb5kdc in the foreground on a free loopback port, stopped by its PID."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

REALM = "INTERCLOUD.TEST"
TOOLS = ("krb5kdc", "kdb5_util", "kadmin.local", "kinit")


def tool(name):
    """The path of a Kerberos program, or None when it is not installed."""
    for directory in ("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"):
        path = os.path.join(directory, name)
        if os.access(path, os.X_OK):
            return path
    return shutil.which(name)


def missing_tools():
    return [name for name in TOOLS if tool(name) is None]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class KDC:
    """A private realm. `env` holds KRB5_CONFIG/KRB5_KDC_PROFILE for every Kerberos program and library call."""

    def __init__(self, realm=REALM, hosts=("localhost", "intercloud.localhost")):
        self.realm = realm
        self.directory = tempfile.mkdtemp(prefix="intercloud-kdc-")
        self.port = free_port()
        d = self.directory
        domain_realm = "".join(f"    {host} = {realm}\n" for host in hosts)
        with open(os.path.join(d, "krb5.conf"), "w") as f:
            f.write(f"""[libdefaults]
    default_realm = {realm}
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
    udp_preference_limit = 1
    default_ccache_name = FILE:{d}/ccache
[realms]
    {realm} = {{
        kdc = 127.0.0.1:{self.port}
    }}
[domain_realm]
{domain_realm}""")
        with open(os.path.join(d, "kdc.conf"), "w") as f:
            f.write(f"""[kdcdefaults]
    kdc_listen = 127.0.0.1:{self.port}
    kdc_tcp_listen = 127.0.0.1:{self.port}
[realms]
    {realm} = {{
        database_name = {d}/principal
        key_stash_file = {d}/stash
        acl_file = {d}/kadm5.acl
        max_life = 1h
        max_renewable_life = 1d
    }}
[logging]
    kdc = FILE:{d}/kdc.log
""")
        self.env = dict(os.environ, KRB5_CONFIG=os.path.join(d, "krb5.conf"),
                        KRB5_KDC_PROFILE=os.path.join(d, "kdc.conf"), KRB5CCNAME=f"FILE:{d}/ccache")
        self.env.pop("KRB5_KTNAME", None)
        self.env.pop("KRB5_CLIENT_KTNAME", None)
        self._run("kdb5_util", "create", "-s", "-r", realm, "-P", "masterpw")
        self.proc = subprocess.Popen([tool("krb5kdc"), "-n", "-P", os.path.join(d, "kdc.pid")], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("krb5kdc exited: " + self.log())
                time.sleep(0.05)
        else:
            raise RuntimeError("krb5kdc did not listen in time")

    def _run(self, name, *args, stdin=None, env=None):
        result = subprocess.run([tool(name), *args], input=stdin, capture_output=True, text=True, timeout=60,
                                env=env or self.env)
        if result.returncode != 0:
            raise RuntimeError(f"{name} {' '.join(args)} failed: {result.stderr}{result.stdout}")
        return result.stdout

    def path(self, name):
        return os.path.join(self.directory, name)

    def add_principal(self, name, password=None):
        """A user principal with a password, or a service principal with a random key."""
        key = ["-pw", password] if password else ["-randkey"]
        self._run("kadmin.local", "-q", " ".join(["addprinc", *key, name]))

    def keytab(self, path, *principals):
        # -norandkey: export the current keys, so that several keytabs of one principal stay valid together.
        self._run("kadmin.local", "-q", f"ktadd -norandkey -k {path} {' '.join(principals)}")
        return path

    def rotate_key(self, path, principal):
        """Gives `principal` a new random key and appends it (the next key version) to the keytab at `path`."""
        self._run("kadmin.local", "-q", f"ktadd -k {path} {principal}")

    def ccache_env(self, name):
        """An environment whose default credential cache is a fresh file of its own."""
        return dict(self.env, KRB5CCNAME=f"FILE:{self.directory}/ccache-{name}")

    def kinit(self, principal, password, env):
        self._run("kinit", principal, stdin=password + "\n", env=env)

    def log(self):
        try:
            with open(self.path("kdc.log")) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        shutil.rmtree(self.directory, ignore_errors=True)
