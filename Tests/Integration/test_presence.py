"""Rosters, subscriptions, presence and offline messages (RFC 6121, XEP-0160) with slixmpp."""
import asyncio
import tempfile

from conftest import Root
from xmpp_clients import close, inbox, login


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def presence_log(client):
    """Records (bare from, type) of every presence the client receives, with an asyncio.Event per change."""
    log = []
    changed = asyncio.Event()

    def on_presence(presence):
        log.append((presence["from"].bare, presence["type"]))
        changed.set()

    client.add_event_handler("presence", on_presence)
    return log, changed


async def wait_for(predicate, timeout=10):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def befriend(ca, cb):
    """Mutual subscription through the protocol, both sides approving automatically."""
    for c in (ca, cb):
        c.auto_authorize = True
        c.auto_subscribe = True
    await ca.get_roster()
    await cb.get_roster()
    ca.send_presence()
    cb.send_presence()
    ca.send_presence_subscription(pto=cb.boundjid.bare)
    ok = await wait_for(lambda: ca.client_roster[cb.boundjid.bare]["subscription"] == "both"
                        and cb.client_roster[ca.boundjid.bare]["subscription"] == "both")
    assert ok, (ca.client_roster[cb.boundjid.bare]["subscription"], cb.client_roster[ca.boundjid.bare]["subscription"])


def test_mutual_subscription_and_availability_changes(root):
    a = root.add_cloud("pres-alpha", "pw-a")
    b = root.add_cloud("pres-bravo", "pw-b")

    async def scenario():
        ca = await login(root, a, "pw-a")
        cb = await login(root, b, "pw-b")
        await befriend(ca, cb)
        log, _ = presence_log(ca)
        cb.send_presence(pshow="away", pstatus="busy computing")
        assert await wait_for(lambda: (b, "away") in log), log
        cb.send_presence(ptype="unavailable")
        assert await wait_for(lambda: (b, "unavailable") in log), log
        await close(ca, cb)

    run(scenario())


def test_killed_socket_becomes_unavailable_within_seconds(root):
    a = root.add_cloud("pres-charlie", "pw-c")
    b = root.add_cloud("pres-delta", "pw-d")

    async def scenario():
        ca = await login(root, a, "pw-c")
        cb = await login(root, b, "pw-d")
        await befriend(ca, cb)
        log, _ = presence_log(ca)
        start = asyncio.get_running_loop().time()
        cb.transport.abort()  # no </stream:stream>, no unavailable presence: the TCP connection just dies
        assert await wait_for(lambda: (b, "unavailable") in log, timeout=10), log
        elapsed = asyncio.get_running_loop().time() - start
        assert elapsed < 5, elapsed
        await close(ca)

    run(scenario())


def test_offline_message_arrives_at_next_login(root):
    a = root.add_cloud("pres-echo", "pw-e")
    b = root.add_cloud("pres-foxtrot", "pw-f")

    async def scenario():
        ca = await login(root, a, "pw-e")
        ca.send_message(mto=b, mbody="while you were out", mtype="chat")
        await asyncio.sleep(0.5)
        cb = await login(root, b, "pw-f")
        qb = inbox(cb)
        cb.send_presence()
        msg = await asyncio.wait_for(qb.get(), 10)
        assert msg["body"] == "while you were out"
        assert msg["from"].bare == a
        assert msg["delay"]["stamp"] is not None
        await close(ca, cb)

    run(scenario())


def test_message_to_unknown_account_bounces(root):
    a = root.add_cloud("pres-golf", "pw-g")

    async def scenario():
        ca = await login(root, a, "pw-g")
        errors = asyncio.Queue()
        ca.add_event_handler("message_error", lambda m: errors.put_nowait(m))
        ca.send_message(mto=f"nobody-here@{root.domain}", mbody="hello?", mtype="chat")
        err = await asyncio.wait_for(errors.get(), 10)
        assert err["error"]["condition"] == "service-unavailable"
        await close(ca)

    run(scenario())


def test_rosters_and_subscriptions_survive_restart():
    with tempfile.TemporaryDirectory(prefix="intercloud-it-") as data:
        root = Root(data)
        a = root.add_cloud("pres-hotel", "pw-h")
        b = root.add_cloud("pres-india", "pw-i")

        async def before():
            ca = await login(root, a, "pw-h")
            cb = await login(root, b, "pw-i")
            await befriend(ca, cb)
            ca.update_roster(b, name="India", groups=["partners"])
            await asyncio.sleep(0.5)
            await close(ca, cb)

        try:
            run(before())
        finally:
            assert root.stop() == 0
        root = Root(data)

        async def after():
            ca = await login(root, a, "pw-h")
            cb = await login(root, b, "pw-i")
            await ca.get_roster()
            item = ca.client_roster[b]
            assert item["subscription"] == "both"
            assert item["name"] == "India"
            assert item["groups"] == ["partners"]
            log, _ = presence_log(ca)
            ca.send_presence()
            cb.send_presence()
            assert await wait_for(lambda: (b, "available") in log), log
            await close(ca, cb)

        try:
            run(after())
        finally:
            root.stop()
