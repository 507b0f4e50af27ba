"""The real `intercloud serve` driven by slixmpp (issue: XMPP client-to-server core)."""
import asyncio

import pytest
import slixmpp
from slixmpp.exceptions import IqError

from xmpp_clients import LoginFailed, RawClient, close, inbox, login


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def test_starttls_scram_sha256_login_verifies_certificate(root):
    jid = root.add_cloud("alpha", "alpha-secret")

    async def scenario():
        client = await login(root, jid, "alpha-secret", mech="SCRAM-SHA-256")
        assert client.boundjid.bare == jid
        assert client.boundjid.resource
        tls = client.transport.get_extra_info("ssl_object")
        assert tls is not None and tls.version() in ("TLSv1.2", "TLSv1.3")
        await close(client)

    run(scenario())


def test_scram_sha1_and_plain_inside_tls(root):
    jid = root.add_cloud("bravo", "bravo-secret")

    async def scenario():
        for mech in ("SCRAM-SHA-1", "PLAIN"):
            client = await login(root, jid, "bravo-secret", mech=mech)
            assert client.boundjid.bare == jid
            await close(client)

    run(scenario())


def test_wrong_password_is_refused(root):
    jid = root.add_cloud("charlie", "charlie-secret")

    async def scenario():
        for mech in ("SCRAM-SHA-256", "PLAIN"):
            with pytest.raises(LoginFailed):
                await login(root, jid, "wrong", mech=mech)

    run(scenario())


def test_unknown_cloud_is_refused(root):
    async def scenario():
        with pytest.raises(LoginFailed):
            await login(root, f"nobody@{root.domain}", "whatever", mech="SCRAM-SHA-256")

    run(scenario())


def test_direct_tls_login(root):
    jid = root.add_cloud("delta", "delta-secret")

    async def scenario():
        client = await login(root, jid, "delta-secret", direct_tls=True)
        assert client.boundjid.bare == jid
        await close(client)

    run(scenario())


def test_two_clouds_message_by_full_and_bare_jid(root):
    a = root.add_cloud("echo", "echo-secret")
    b = root.add_cloud("foxtrot", "foxtrot-secret")

    async def scenario():
        ca = await login(root, a, "echo-secret")
        cb = await login(root, b, "foxtrot-secret")
        qa, qb = inbox(ca), inbox(cb)
        ca.send_presence()
        cb.send_presence()
        await asyncio.sleep(0.3)
        ca.send_message(mto=cb.boundjid.full, mbody="to full", mtype="chat")
        msg = await asyncio.wait_for(qb.get(), 10)
        assert msg["body"] == "to full"
        assert msg["from"].full == ca.boundjid.full  # stamped by the server
        cb.send_message(mto=a, mbody="to bare", mtype="chat")
        msg = await asyncio.wait_for(qa.get(), 10)
        assert msg["body"] == "to bare"
        assert msg["from"].full == cb.boundjid.full
        await close(ca, cb)

    run(scenario())


def test_from_cannot_be_spoofed(root):
    a = root.add_cloud("golf", "golf-secret")
    b = root.add_cloud("hotel", "hotel-secret")

    async def scenario():
        ca = await login(root, a, "golf-secret")
        cb = await login(root, b, "hotel-secret")
        qb = inbox(cb)
        cb.send_presence()
        await asyncio.sleep(0.3)
        msg = ca.make_message(mto=cb.boundjid.full, mbody="spoof", mtype="chat")
        msg["from"] = f"admin@{root.domain}/console"
        msg.send()
        got = await asyncio.wait_for(qb.get(), 10)
        assert got["from"].full == ca.boundjid.full
        await close(ca, cb)

    run(scenario())


def test_unknown_namespace_iq_gets_service_unavailable(root):
    jid = root.add_cloud("india", "india-secret")

    async def scenario():
        client = await login(root, jid, "india-secret")
        for to in (root.domain, jid):
            iq = client.make_iq_get(ito=to)
            iq.append(slixmpp.ET.Element("{urn:example:unknown}query"))
            with pytest.raises(IqError) as error:
                await iq.send(timeout=10)
            assert error.value.condition == "service-unavailable"
        await close(client)

    run(scenario())


def test_disco_ping_and_version_answer(root):
    jid = root.add_cloud("juliet", "juliet-secret")

    async def scenario():
        client = await login(root, jid, "juliet-secret")
        info = await client["xep_0030"].get_info(jid=root.domain, timeout=10)
        features = info["disco_info"]["features"]
        assert "urn:xmpp:ping" in features
        assert "http://jabber.org/protocol/disco#info" in features
        assert "jabber:iq:version" in features
        identities = info["disco_info"]["identities"]
        assert any(i[0] == "server" and i[1] == "im" for i in identities)
        rtt = await client["xep_0199"].ping(jid=root.domain, timeout=10)
        assert rtt is not None and rtt >= 0
        version = await client["xep_0092"].get_version(root.domain, timeout=10)
        assert version["software_version"]["name"] == "Intercloud Root"
        await close(client)

    run(scenario())


@pytest.mark.parametrize(
    "bad_input, condition",
    [
        ("<message to='x@intercloud.localhost'><body>unclosed</bogus></message>", "not-well-formed"),
        ("<?evil processing-instruction?>", "restricted-xml"),
        ("<!-- a comment -->", "restricted-xml"),
        ("<message><body>" + "x" * (300 * 1024) + "</body></message>", "policy-violation"),
        (b"<message><body>\xff\xfe</body></message>", "not-well-formed"),
    ],
    ids=["malformed", "processing-instruction", "comment", "oversize", "invalid-utf8"],
)
def test_bad_input_ends_only_the_offending_session(root, bad_input, condition):
    a = root.add_cloud(f"kilo-{condition}-{len(bad_input)}"[:60].rstrip("-"), "kilo-secret")
    b = root.add_cloud(f"lima-{condition}-{len(bad_input)}"[:60].rstrip("-"), "lima-secret")
    offender_name = f"mike-{condition}-{len(bad_input)}"[:60].rstrip("-")
    root.add_cloud(offender_name, "mike-secret")

    async def scenario():
        ca = await login(root, a, "kilo-secret")
        cb = await login(root, b, "lima-secret")
        qb = inbox(cb)
        cb.send_presence()
        await asyncio.sleep(0.2)

        def offend():
            raw = RawClient(root)
            raw.login(offender_name, "mike-secret")
            raw.send(bad_input)
            text = raw.read_to_close()
            raw.close()
            return text

        text = await asyncio.get_running_loop().run_in_executor(None, offend)
        assert f"<{condition}" in text, text
        assert text.rstrip().endswith("</stream:stream>"), text
        ca.send_message(mto=b, mbody="still here", mtype="chat")
        msg = await asyncio.wait_for(qb.get(), 10)
        assert msg["body"] == "still here"
        await close(ca, cb)

    run(scenario())


def test_doctype_before_authentication_is_restricted_xml(root):
    raw = RawClient(root)
    raw.send("<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY x 'y'>]><stream:stream to='intercloud.localhost' "
             "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")
    text = raw.read_to_close()
    raw.close()
    assert "<restricted-xml" in text
    assert "</stream:stream>" in text


def test_oversize_stanza_before_authentication(root):
    raw = RawClient(root)
    raw.open_stream()
    raw.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + "A" * (20 * 1024) + "</auth>")
    text = raw.read_to_close()
    raw.close()
    assert "<policy-violation" in text


def test_plain_and_auth_refused_before_tls(root):
    root.add_cloud("november", "november-secret")
    raw = RawClient(root)
    features = raw.open_stream()
    assert "<required" in features and "mechanisms" not in features
    raw.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AG5vdmVtYmVyAG5vdmVtYmVyLXNlY3JldA==</auth>")
    reply = raw.read_until(r"</failure>")
    raw.close()
    assert "encryption-required" in reply


def test_second_bind_of_same_full_jid_replaces_old_session(root):
    root.add_cloud("oscar", "oscar-secret")

    def scenario():
        first = RawClient(root)
        first.login("oscar", "oscar-secret", resource="same")
        second = RawClient(root)
        reply = second.login("oscar", "oscar-secret", resource="same")
        assert "oscar@intercloud.localhost/same" in reply
        text = first.read_to_close()
        first.close()
        second.close()
        return text

    text = scenario()
    assert "<conflict" in text and "</stream:stream>" in text


def test_graceful_shutdown_closes_streams(fresh_root):
    fresh_root.add_cloud("papa", "papa-secret")
    raw = RawClient(fresh_root)
    raw.login("papa", "papa-secret")
    fresh_root.proc.terminate()
    text = raw.read_to_close(timeout=20)
    raw.close()
    assert "</stream:stream>" in text
    assert fresh_root.proc.wait(timeout=20) == 0
