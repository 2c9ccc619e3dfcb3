"""ASVS V10.2.1: the server calls out to nothing but what it is configured with. The browser
journeys ran against a server traced by strace (conftest), which wrote down every connection
it opened; here those are read back. In the demo (SQLite) the only one allowed is the SMTP
relay, so a library that phoned home, looked up a name or reported usage would be caught."""
import os
import re

import pytest

# An IP address as strace writes it in connect, sendto or sendmsg.
ADDRESS = re.compile(
    r'sa_family=(AF_INET6?), sin6?_port=htons\((\d+)\),.*?(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")')


def connections(log):
    """(family, address, port) of every IP address the traced server connected or sent to."""
    found = []
    for line in open(log, encoding="utf-8", errors="replace"):
        match = ADDRESS.search(line)
        if match:
            family, port, v4, v6 = match.groups()
            found.append((family, v4 or v6, int(port)))
    return found


def test_the_server_opened_no_connection_but_to_its_mail_relay(server, mailbox):
    log = os.environ.get("ECAF_BROWSER_CONNECTIONS", "")
    if not log:
        pytest.skip("strace could not trace the server on this machine")
    seen = connections(log)
    relay = ("127.0.0.1", mailbox.port)
    # The journeys sent mail (new accounts, notices), so the trace did see the relay.
    assert any((address, port) == relay for _, address, port in seen), f"no connection to the relay in {log}"
    others = sorted({(address, port) for _, address, port in seen if (address, port) != relay})
    assert not others, f"the server connected to {others}"
