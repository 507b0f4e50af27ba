"""The registry over HTTP (CONTRACT §4) and the effect of suspension and removal on live sessions."""
import asyncio
import json

import pytest

from xmpp_clients import LoginFailed, RawClient, login


def test_mutating_routes_need_the_admin_token(root):
    for token in (False, "wrong-token"):
        status, body = root.http("POST", "/v1/clouds", {"name": "tokenless"}, token=token)
        assert status == 401, (token, body)
        assert json.loads(body)["error"] == "unauthorized"
    assert root.http("DELETE", "/v1/clouds/anything", token=False)[0] == 401
    assert root.http("GET", "/v1/clouds", token=False)[0] == 200  # reads need no token
    assert root.cli("registry", "show", "tokenless").returncode != 0  # nothing was created


def test_clouds_crud(root):
    status, body = root.http("POST", "/v1/clouds", {"name": "api-alpha", "password": "pw", "trustLevel": 2,
                                                    "endpoints": ["https://alpha.example/api"]})
    assert status == 201, body
    created = json.loads(body)
    assert created["jid"] == f"api-alpha@{root.domain}" and created["trustLevel"] == 2
    assert "pw" not in body.decode()
    assert root.http("POST", "/v1/clouds", {"name": "api-alpha"})[0] == 409
    for bad in ({"name": "Bad_Name"}, {"name": "ok-name", "trustLevel": 9}, {"nope": 1}):
        status, body = root.http("POST", "/v1/clouds", bad)
        assert status == 400, (bad, body)
        assert json.loads(body)["message"]
    assert root.http("POST", "/v1/clouds", b"{not json")[0] == 400
    status, body = root.http("GET", "/v1/clouds/api-alpha")
    assert status == 200 and json.loads(body)["endpoints"] == ["https://alpha.example/api"]
    assert any(c["name"] == "api-alpha" for c in json.loads(root.http("GET", "/v1/clouds")[1]))
    assert root.http("GET", "/v1/clouds/nobody-here")[0] == 404
    assert root.http("DELETE", "/v1/clouds/api-alpha")[0] == 204
    assert root.http("GET", "/v1/clouds/api-alpha")[0] == 404
    assert root.http("DELETE", "/v1/clouds/api-alpha")[0] == 404


def test_suspension_ends_sessions_and_blocks_login_until_reinstated(root):
    jid = root.add_cloud("api-bravo", "pw-b")

    raw = RawClient(root)
    raw.login("api-bravo", "pw-b")
    status, body = root.http("POST", "/v1/clouds/api-bravo/suspend")
    assert status == 200 and json.loads(body)["status"] == "suspended"
    text = raw.read_to_close(timeout=10)
    raw.close()
    assert "<not-authorized" in text and "suspended" in text

    async def attempt():
        client = await login(root, jid, "pw-b", mech="PLAIN")
        client.disconnect(wait=0)

    with pytest.raises(LoginFailed):
        asyncio.run(attempt())
    assert root.http("POST", "/v1/clouds/api-bravo/reinstate")[0] == 200
    asyncio.run(attempt())


def test_cli_suspension_and_removal_reach_a_running_server(root):
    root.add_cloud("api-charlie", "pw-c")
    raw = RawClient(root)
    raw.login("api-charlie", "pw-c")
    assert root.cli("registry", "suspend", "api-charlie").returncode == 0
    text = raw.read_to_close(timeout=15)  # the server's registry sweep runs every 2 s
    raw.close()
    assert "<not-authorized" in text

    root.add_cloud("api-delta", "pw-d")
    raw = RawClient(root)
    raw.login("api-delta", "pw-d")
    assert root.cli("registry", "remove", "api-delta").returncode == 0
    text = raw.read_to_close(timeout=15)
    raw.close()
    assert "<not-authorized" in text and "removed" in text


def test_update_filters_and_lookup_by_certificate_serial(root):
    from test_ca import issue, make_csr, split_pem
    from cryptography import x509
    assert root.http("POST", "/v1/clouds", {"name": "flt-low", "trustLevel": 1})[0] == 201
    assert root.http("POST", "/v1/clouds", {"name": "flt-high", "trustLevel": 4, "password": "pw"})[0] == 201
    status, body = root.http("PATCH", "/v1/clouds/flt-low", {"trustLevel": 5, "endpoints": ["https://x.example/a"],
                                                             "contact": "noc@x.example"})
    assert status == 200, body
    updated = json.loads(body)
    assert updated["trustLevel"] == 5 and updated["contact"] == "noc@x.example"
    assert root.http("PATCH", "/v1/clouds/flt-low", {"trustLevel": 6})[0] == 400
    assert root.http("PATCH", "/v1/clouds/nobody-x", {"trustLevel": 1})[0] == 404
    names = [c["name"] for c in json.loads(root.http("GET", "/v1/clouds?prefix=flt-&minTrustLevel=5")[1])]
    assert names == ["flt-low"]
    root.http("POST", "/v1/clouds/flt-high/suspend")
    names = [c["name"] for c in json.loads(root.http("GET", "/v1/clouds?prefix=flt-&status=suspended")[1])]
    assert names == ["flt-high"]
    assert root.http("GET", "/v1/clouds?status=bogus")[0] == 400
    root.http("POST", "/v1/clouds/flt-high/reinstate")
    _, csr = make_csr()
    status, body = issue(root, "flt-high", csr)
    assert status == 201
    serial = format(x509.load_pem_x509_certificate(split_pem(body.decode())[0].encode()).serial_number, "x")
    status, body = root.http("GET", f"/v1/certificates/{serial}")
    assert status == 200 and json.loads(body)["name"] == "flt-high"
    assert root.http("GET", "/v1/certificates/abcdef")[0] == 404
    # The same through the CLI, on the store the server uses.
    owner = root.cli("registry", "owner", serial, "--json")
    assert owner.returncode == 0 and json.loads(owner.stdout)["name"] == "flt-high"
    assert root.cli("registry", "update", "flt-high", "--trust-level", "2").returncode == 0
    listed = json.loads(root.cli("registry", "list", "--json", "--prefix", "flt-", "--min-trust-level", "3").stdout)
    assert [c["name"] for c in listed] == ["flt-low"]
    assert root.cli("registry", "update", "flt-high", "--trust-level", "9").returncode == 64
