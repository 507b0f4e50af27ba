"""Negotiation between clouds (urn:intercloud:negotiation:0, docs/negotiation.md) with two slixmpp clients:
accept, reject, counter then accept, expiry, replay, an outsider — and the signed agreement over XMPP and HTTP."""
import asyncio
import base64
import datetime
import json

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from xmpp_clients import close, login

NS = "urn:intercloud:negotiation:0"
DATA = "jabber:x:data"


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def expires(seconds=60):
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def terms_form(price="42.5"):
    x = ET.Element(f"{{{DATA}}}x", {"type": "submit"})
    fields = [("FORM_TYPE", "urn:intercloud:negotiation:0#terms"),
              ("service-type", "https://w3id.org/intercloud/ns#ObjectStorage"), ("quantity", "500"),
              ("unit", "GB"), ("region", "eu-west"), ("price-ceiling", price), ("currency", "EUR"),
              ("duration", "P30D"), ("sla-availability", "99.9"), ("replicas", "3")]
    for var, value in fields:
        field = ET.SubElement(x, f"{{{DATA}}}field", {"var": var})
        if var == "FORM_TYPE":
            field.set("type", "hidden")
        ET.SubElement(field, f"{{{DATA}}}value").text = value
    return x


def offer(name, pid, round_no, seconds=60, price="42.5"):
    element = ET.Element(f"{{{NS}}}{name}", {"id": pid, "round": str(round_no), "expires": expires(seconds)})
    element.append(terms_form(price))
    return element


def answer(name, pid, round_no, **attrs):
    return ET.Element(f"{{{NS}}}{name}", {"id": pid, "round": str(round_no), **attrs})


async def party(root, jid, password, decide=None):
    """A logged-in cloud; `decide(payload)` returns the element for the result of a negotiation set (or None)."""
    client = await login(root, jid, password)
    notes = asyncio.Queue()

    def on_message(msg):
        agreement = msg.xml.find(f"{{{NS}}}agreement")
        if agreement is not None:
            notes.put_nowait(agreement)

    def on_set(iq):
        payload = next(iter(iq.xml), None)
        reply = iq.reply(clear=True)
        element = decide(payload) if decide else None
        if element is not None:
            reply.append(element)
        reply.send()

    client.register_handler(Callback("agreement", MatchXPath(f"{{jabber:client}}message/{{{NS}}}agreement"),
                                     on_message))
    client.register_handler(Callback("negotiation", MatchXPath(f"{{jabber:client}}iq/{{{NS}}}*"), on_set))
    client.send_presence()
    await asyncio.sleep(0.2)
    return client, notes


async def send_set(client, to, element, timeout=10):
    iq = client.make_iq_set(ito=to)
    iq.append(element)
    return await iq.send(timeout=timeout)


def condition(error):
    stanza_error = error.iq.xml.find("{jabber:client}error")
    names = [child.tag for child in stanza_error]
    return names


def test_accept_records_one_signed_agreement(root):
    a = root.add_cloud("neg-alpha", "pw-a")
    b = root.add_cloud("neg-bravo", "pw-b")

    async def scenario():
        ca, notes_a = await party(root, a, "pw-a")
        cb, notes_b = await party(root, b, "pw-b", decide=lambda p: answer("accept", p.get("id"), 1))
        result = await send_set(ca, cb.boundjid.full, offer("propose", "acc-1", 1))
        assert result.xml.find(f"{{{NS}}}accept") is not None
        note_a = await asyncio.wait_for(notes_a.get(), 10)
        note_b = await asyncio.wait_for(notes_b.get(), 10)
        assert note_a.get("id") == note_b.get("id")
        assert note_a.get("requester") == a and note_a.get("responder") == b and note_a.get("round") == "1"

        # XMPP retrieval: only the caller's agreements, filtered by proposal id.
        iq = ca.make_iq_get(ito="intercloud.localhost")
        iq.append(ET.Element(f"{{{NS}}}agreements", {"proposal": "acc-1"}))
        listed = await iq.send(timeout=10)
        found = listed.xml.find(f"{{{NS}}}agreements")
        assert [e.get("id") for e in found] == [note_a.get("id")]
        await close(ca, cb)
        return note_a.get("id")

    agreement_id = run(scenario())

    # HTTP retrieval needs the token; the signature verifies with the issuing CA certificate.
    status, _ = root.http("GET", "/v1/agreements", token=False)
    assert status == 401
    status, body = root.http("GET", "/v1/agreements?party=neg-alpha")
    assert status == 200, body
    records = [r for r in json.loads(body) if r["agreement"]["id"] == agreement_id]
    assert len(records) == 1
    record = records[0]
    canonical = json.dumps(record["agreement"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    status, pem, _ = root.http_get("/v1/ca/certificates")
    intermediate = x509.load_pem_x509_certificates(pem)[0]
    assert record["signature"]["algorithm"] == "ecdsa-with-SHA256"
    intermediate.public_key().verify(
        base64.b64decode(record["signature"]["value"]), canonical.encode(), ec.ECDSA(hashes.SHA256()))


def test_reject_counter_and_counter_accept(root):
    a = root.add_cloud("neg-charlie", "pw-c")
    b = root.add_cloud("neg-delta", "pw-d")

    def decide(payload):
        if payload.tag == f"{{{NS}}}propose" and payload.get("id") == "rej-1":
            element = answer("reject", "rej-1", 1, reason="capacity")
            element.text = "only 200 GB left"
            return element
        if payload.tag == f"{{{NS}}}propose":
            return offer("counter", payload.get("id"), 2, price="55")
        return None  # acknowledgement of the requester's accept

    async def scenario():
        cc, notes_c = await party(root, a, "pw-c")
        cd, _ = await party(root, b, "pw-d", decide=decide)
        rejected = await send_set(cc, cd.boundjid.full, offer("propose", "rej-1", 1))
        assert rejected.xml.find(f"{{{NS}}}reject").get("reason") == "capacity"

        countered = await send_set(cc, cd.boundjid.full, offer("propose", "ctr-1", 1))
        counter = countered.xml.find(f"{{{NS}}}counter")
        assert counter.get("round") == "2"
        await send_set(cc, cd.boundjid.full, answer("accept", "ctr-1", 2))
        note = await asyncio.wait_for(notes_c.get(), 10)
        assert note.get("proposal") == "ctr-1" and note.get("round") == "2"
        assert notes_c.empty()  # the rejected proposal made no agreement

        # Replaying a proposal id is refused with conflict; accepting a round that was never offered too.
        try:
            await send_set(cc, cd.boundjid.full, offer("propose", "ctr-1", 1))
            raise AssertionError("a replayed proposal id was routed")
        except IqError as error:
            assert error.condition == "conflict"
        await close(cc, cd)

    run(scenario())


def test_expired_malformed_and_outsider(root):
    a = root.add_cloud("neg-echo", "pw-e")
    b = root.add_cloud("neg-foxtrot", "pw-f")
    c = root.add_cloud("neg-golf", "pw-g")

    async def scenario():
        ce, _ = await party(root, a, "pw-e")
        cf, _ = await party(root, b, "pw-f", decide=lambda p: offer("counter", p.get("id"), 2))
        cg, _ = await party(root, c, "pw-g")
        try:
            await send_set(ce, cf.boundjid.full, offer("propose", "old-1", 1, seconds=-30))
            raise AssertionError("an expired proposal was routed")
        except IqError as error:
            assert error.condition == "not-acceptable"
            assert f"{{{NS}}}expired" in condition(error)

        bad = offer("propose", "bad-1", 1)
        bad.find(f"{{{DATA}}}x").remove(bad.find(f"{{{DATA}}}x")[1])  # drop service-type
        try:
            await send_set(ce, cf.boundjid.full, bad)
            raise AssertionError("a malformed proposal was routed")
        except IqError as error:
            assert error.condition == "bad-request"

        await send_set(ce, cf.boundjid.full, offer("propose", "own-1", 1))  # foxtrot counters
        try:  # golf is not a party of own-1
            await send_set(cg, cf.boundjid.full, answer("accept", "own-1", 2))
            raise AssertionError("an outsider's accept was routed")
        except IqError as error:
            assert error.condition in ("forbidden", "item-not-found")
        await close(ce, cf, cg)

    run(scenario())
