"""A loopback TCP proxy that a test can cut and restore: the database "goes away for a moment" without
touching the shared PostgreSQL server."""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading


class TcpProxy:
    """Listens on 127.0.0.1:<free port> and forwards to `target`; `cut()` drops every connection and
    refuses new ones until `restore()`. All socket work happens on the proxy's own thread."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self._cut = threading.Event()
        self._drop = threading.Event()
        self._dropped = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.listener.close()

    def cut(self) -> None:
        self._cut.set()
        self._dropped.clear()
        self._drop.set()
        self._dropped.wait(timeout=5)

    def restore(self) -> None:
        self._cut.clear()

    def _serve(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ)
        peers: dict[socket.socket, socket.socket] = {}

        def close(sock: socket.socket) -> None:
            peers.pop(sock, None)
            with contextlib.suppress(KeyError, ValueError):
                selector.unregister(sock)
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

        while not self._stop.is_set():
            if self._drop.is_set():
                for peer in list(peers):
                    close(peer)
                self._drop.clear()
                self._dropped.set()
            for key, _ in selector.select(timeout=0.02):
                ready = key.fileobj
                assert isinstance(ready, socket.socket)
                sock = ready
                if sock is self.listener:
                    client, _ = self.listener.accept()
                    if self._cut.is_set():
                        client.close()
                        continue
                    try:
                        upstream = socket.create_connection(self.target, timeout=3)
                    except OSError:
                        client.close()
                        continue
                    upstream.settimeout(None)
                    peers[client], peers[upstream] = upstream, client
                    selector.register(client, selectors.EVENT_READ)
                    selector.register(upstream, selectors.EVENT_READ)
                    continue
                other = peers.get(sock)
                if other is None:
                    continue
                try:
                    data = sock.recv(65536)  # select said it is readable: this does not block
                    if data:
                        other.sendall(data)
                        continue
                except OSError:
                    pass
                close(sock)
                close(other)
        for sock in list(peers):
            close(sock)
        selector.close()
