"""XEP-0198 stream management with slixmpp: acknowledgements and resumption after a lost connection."""
import asyncio

from test_presence import wait_for
from xmpp_clients import close, inbox, login


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def test_resumed_stream_gets_the_unacknowledged_stanza_exactly_once(root):
    a = root.add_cloud("sm-alpha", "pw-a")
    b = root.add_cloud("sm-bravo", "pw-b")

    async def scenario():
        cb = await login(root, b, "pw-b", plugins=("xep_0198",))
        sm = cb.plugin["xep_0198"]
        assert await wait_for(lambda: sm.sm_id is not None), "stream management was not enabled"
        ca = await login(root, a, "pw-a")
        received = inbox(cb)
        cb.send_presence()
        await asyncio.sleep(0.3)

        ca.send_message(mto=cb.boundjid.full, mbody="one", mtype="chat")
        first = await asyncio.wait_for(received.get(), 10)
        assert first["body"] == "one"  # handled by the client, not yet acknowledged to the server

        cb.transport.abort()  # the TCP connection dies without </stream:stream>
        await asyncio.sleep(0.5)
        ca.send_message(mto=cb.boundjid.full, mbody="two", mtype="chat")  # queued for the detached session
        await asyncio.sleep(0.3)

        resumed = asyncio.Event()
        cb.add_event_handler("session_resumed", lambda _: resumed.set())
        cb.connect(host="127.0.0.1", port=root.c2s)
        await asyncio.wait_for(resumed.wait(), 15)
        await asyncio.sleep(1.0)
        bodies = []
        while not received.empty():
            bodies.append(received.get_nowait()["body"])
        assert bodies == ["two"], bodies  # "one" is not resent (the client reported it handled), "two" arrives once

        ca.send_message(mto=b, mbody="three", mtype="chat")
        third = await asyncio.wait_for(received.get(), 10)
        assert third["body"] == "three"
        await close(ca, cb)

    run(scenario())


def test_acknowledgements_flow(root):
    a = root.add_cloud("sm-charlie", "pw-c")
    b = root.add_cloud("sm-delta", "pw-d")

    async def scenario():
        cb = await login(root, b, "pw-d", plugins=("xep_0198",))
        sm = cb.plugin["xep_0198"]
        assert await wait_for(lambda: sm.sm_id is not None)
        ca = await login(root, a, "pw-c")
        received = inbox(cb)
        cb.send_presence()
        for i in range(12):
            ca.send_message(mto=cb.boundjid.full, mbody=f"m{i}", mtype="chat")
        for _ in range(12):
            await asyncio.wait_for(received.get(), 10)
        # The server asks for an ack every 5 stanzas; the client's counter covers every stanza it handled.
        assert await wait_for(lambda: sm.handled >= 12), sm.handled
        # The server counts what it handled: initial presence + 6 messages = 7 when the client asks after them.
        # (slixmpp's own window request goes out just before the stanza that triggers it, so it sees one fewer.)
        for i in range(6):
            cb.send_message(mto=a, mbody=f"r{i}", mtype="chat")
        await asyncio.sleep(0.3)
        sm.request_ack()
        assert await wait_for(lambda: sm.last_ack == 7, timeout=10), sm.last_ack
        await close(ca, cb)

    run(scenario())
