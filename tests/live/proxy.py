"""A TCP proxy the test controls: cutting it is the school Wi-Fi dropping.

Clients connect to the proxy, which forwards bytes both ways to the server. cut()
closes every connection at once, mid-message if need be, without the server or the
client saying goodbye, which is what a transport failure looks like to both. The
proxy keeps listening, so clients reconnect through it, as after the Wi-Fi returns.
"""

from __future__ import annotations

import socket
import threading
from contextlib import suppress

from support.ports import LOOPBACK


class Proxy:
    def __init__(self, target_port: int) -> None:
        self.target = (LOOPBACK, target_port)
        self._listener = socket.create_server((LOOPBACK, 0))
        self.port: int = self._listener.getsockname()[1]
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.cuts = 0
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def cut(self) -> int:
        """Drop every connection now; returns how many were open."""
        with self._lock:
            sockets, self._open = self._open, set()
            self.cuts += 1
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        return len(sockets) // 2

    def close(self) -> None:
        self._closed = True
        with suppress(OSError):
            self._listener.close()
        self.cut()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()  # the server is down: so is the connection
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        # One side gone: the whole connection is (the other pump then ends too).
        with self._lock:
            self._open -= {source, sink}
        for sock in (source, sink):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
