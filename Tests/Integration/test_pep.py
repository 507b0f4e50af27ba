"""PEP capability announcements (XEP-0163 over XEP-0060, XEP-0115 +notify) with slixmpp (CONTRACT §5.1)."""
import asyncio

from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET

from test_presence import befriend, wait_for
from xmpp_clients import close, login

NODE = "urn:intercloud:capabilities:0"
# `<>` is the publisher's own IRI (the base of a description is xmpp:NAME@D): descriptions are parsed and may only
# describe their own cloud (docs/xmpp.md).
TURTLE = "<> a <https://w3id.org/intercloud/ns#Cloud> ."
FIRST = '<> <http://www.w3.org/2000/01/rdf-schema#comment> "first" .'
SECOND = '<> <http://www.w3.org/2000/01/rdf-schema#comment> "second" .'


def capabilities(text=TURTLE):
    element = ET.Element(f"{{{NODE}}}capabilities")
    element.text = text
    return element


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


async def pep_client(root, jid, password, interested=True):
    client = await login(root, jid, password, plugins=("xep_0060", "xep_0115", "xep_0163"))
    events = asyncio.Queue()
    client.add_event_handler("pubsub_publish", lambda msg: events.put_nowait(msg))
    if interested:
        client.plugin["xep_0163"].add_interest(NODE)
        await asyncio.sleep(0.3)  # update_caps runs as a task
    return client, events


def test_publish_reaches_subscribed_contact_that_asked_for_notify(root):
    a = root.add_cloud("pep-alpha", "pw-a")
    b = root.add_cloud("pep-bravo", "pw-b")

    async def scenario():
        ca, _ = await pep_client(root, a, "pw-a", interested=False)
        cb, events = await pep_client(root, b, "pw-b")
        await befriend(ca, cb)
        await asyncio.sleep(0.5)  # caps query and answer
        result = await ca.plugin["xep_0060"].publish(None, NODE, id="current", payload=capabilities())
        assert result["pubsub"]["publish"]["item"]["id"] == "current"
        msg = await asyncio.wait_for(events.get(), 10)
        item = msg["pubsub_event"]["items"]["item"]
        assert msg["pubsub_event"]["items"]["node"] == NODE
        assert item["id"] == "current"
        assert msg["from"].bare == a
        assert item["payload"].text == TURTLE
        items = await cb.plugin["xep_0060"].get_items(a, NODE, timeout=10)
        assert [i["id"] for i in items["pubsub"]["items"]] == ["current"]
        await close(ca, cb)

    run(scenario())


def test_contact_without_notify_gets_nothing_and_last_item_reaches_new_subscriber(root):
    a = root.add_cloud("pep-charlie", "pw-c")
    b = root.add_cloud("pep-delta", "pw-d")
    c = root.add_cloud("pep-echo", "pw-e")

    async def scenario():
        ca, _ = await pep_client(root, a, "pw-c", interested=False)
        cb, quiet = await pep_client(root, b, "pw-d", interested=False)
        await befriend(ca, cb)
        await ca.plugin["xep_0060"].publish(None, NODE, id="current", payload=capabilities(FIRST))
        await ca.plugin["xep_0060"].publish(None, NODE, id="current", payload=capabilities(SECOND))
        await asyncio.sleep(0.5)
        assert quiet.empty(), "a contact without +notify must not get notifications"
        # A new subscriber with +notify gets only the last item (XEP-0163 §4.3.3).
        cc, events = await pep_client(root, c, "pw-e")
        await befriend(ca, cc)
        msg = await asyncio.wait_for(events.get(), 10)
        assert msg["pubsub_event"]["items"]["item"]["payload"].text == SECOND
        await asyncio.sleep(0.3)
        assert events.empty()
        await close(ca, cb, cc)

    run(scenario())


def test_items_of_presence_node_are_refused_to_strangers(root):
    a = root.add_cloud("pep-foxtrot", "pw-f")
    b = root.add_cloud("pep-golf", "pw-g")

    async def scenario():
        ca, _ = await pep_client(root, a, "pw-f", interested=False)
        cb, _ = await pep_client(root, b, "pw-g", interested=False)
        await ca.plugin["xep_0060"].publish(None, NODE, id="current", payload=capabilities())
        try:
            await cb.plugin["xep_0060"].get_items(a, NODE, timeout=10)
            raise AssertionError("a stranger read a presence-access node")
        except IqError as error:
            assert error.condition == "not-authorized"
        await close(ca, cb)

    run(scenario())


def test_publish_options_set_the_access_model_and_must_match_later(root):
    a = root.add_cloud("pep-hotel", "pw-h")
    b = root.add_cloud("pep-india", "pw-i")

    async def scenario():
        ca, _ = await pep_client(root, a, "pw-h", interested=False)
        cb, _ = await pep_client(root, b, "pw-i", interested=False)
        ca.register_plugin("xep_0004")
        form = ca.plugin["xep_0004"].make_form(ftype="submit")
        form.add_field(var="FORM_TYPE", ftype="hidden", value="http://jabber.org/protocol/pubsub#publish-options")
        form.add_field(var="pubsub#access_model", value="open")
        await ca.plugin["xep_0060"].publish(None, NODE, id="current", payload=capabilities(), options=form)
        # An open node can be read by a cloud with no subscription at all (XEP-0060 §4.5).
        items = await cb.plugin["xep_0060"].get_items(a, NODE, timeout=10)
        assert [i["id"] for i in items["pubsub"]["items"]] == ["current"]
        # Publishing again with a different access model is a failed precondition (XEP-0060 §7.1.5).
        other = ca.plugin["xep_0004"].make_form(ftype="submit")
        other.add_field(var="FORM_TYPE", ftype="hidden", value="http://jabber.org/protocol/pubsub#publish-options")
        other.add_field(var="pubsub#access_model", value="whitelist")
        try:
            await ca.plugin["xep_0060"].publish(None, NODE, id="current", payload=capabilities(), options=other)
            raise AssertionError("conflicting publish-options were accepted")
        except IqError as error:
            assert error.condition == "conflict"
        await close(ca, cb)

    run(scenario())
