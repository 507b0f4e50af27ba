"""Configurable limits of the c2s listener: authentication slow-down and connections per address."""
import os
import tempfile
import time

import pytest

from conftest import Root
from xmpp_clients import RawClient


def plain_failure_time(raw):
    start = time.monotonic()
    raw.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AHF1ZWJlYwB3cm9uZw==</auth>")
    reply = raw.read_until(r"</failure>|</stream:stream>")
    return time.monotonic() - start, reply


def test_repeated_authentication_failures_are_slowed_down_then_end_the_stream(root):
    root.add_cloud("quebec", "quebec-secret")
    raw = RawClient(root)
    raw.starttls()
    timings = [plain_failure_time(raw) for _ in range(4)]
    for _, reply in timings:
        assert "<not-authorized" in reply
    # RFC 6120 §13.9.2: three free failures from one address, then a delay (0.5 s, doubling).
    assert all(t < 0.4 for t, _ in timings[:3]), timings
    assert timings[3][0] >= 0.45, timings
    # RFC 6120 §6.4.5: the fifth failure on one stream ends it with policy-violation.
    _, reply = plain_failure_time(raw)
    raw.close()
    assert "<policy-violation" in reply


def test_connections_per_address_are_capped():
    with tempfile.TemporaryDirectory(prefix="intercloud-it-") as data:
        config = os.path.join(data, "limits.toml")
        with open(config, "w") as f:
            f.write("[limits]\nmax_connections_per_ip = 2\n")
        root = Root(data, config=config)
        try:
            first, second = RawClient(root), RawClient(root)
            first.open_stream()
            second.open_stream()
            third = RawClient(root)
            text = third.read_to_close()
            assert "<policy-violation" in text and "</stream:stream>" in text
            first.close()
            time.sleep(0.3)
            fourth = RawClient(root)
            assert "<starttls" in fourth.open_stream()
            for c in (second, third, fourth):
                c.close()
        finally:
            root.stop()
