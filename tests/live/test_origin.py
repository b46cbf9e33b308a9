"""The Socket.IO endpoint answers pages of its own origin only (no cross-site sockets)."""

from __future__ import annotations

import requests
from live.processes import ServerProcess


def test_a_socket_from_another_origin_is_refused(server: ServerProcess) -> None:
    handshake = f"{server.url}/socket.io/?EIO=4&transport=polling"
    own = requests.get(handshake, headers={"Origin": server.url}, timeout=10)
    assert own.status_code == 200 and '"sid"' in own.text
    other = requests.get(handshake, headers={"Origin": "http://evil.example"}, timeout=10)
    assert other.status_code == 400
