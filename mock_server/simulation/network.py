"""A bad network on loopback: sockets that fail the way real connections fail.

The mock's own HTTP client (oidc.relying_party.LoopbackAdapter) sends a call
that meets a network fault here instead of to the site it names, and the client
stack (requests, urllib3, http.client, the kernel) fails by itself:

- connection_refused: a port bound but not listening; the kernel answers the
  SYN with RST: ECONNREFUSED.
- connection_timed_out: a listening socket with a backlog of 0 whose accept
  queue one connection of ours fills; Linux drops further SYNs, so connect()
  waits until the client's own timeout: ConnectTimeout.
- connection_reset: accepted, the request read, then closed with SO_LINGER 0:
  RST, ECONNRESET while the client waits for the answer.
- empty_reply: accepted, the request read, then closed cleanly (FIN) without a
  byte: "Remote end closed connection without response".
- offline: no loopback socket can say "Network is unreachable"; TCP to the
  limited broadcast address can: Linux refuses it with ENETUNREACH at connect(),
  without a packet sent (tcp_v4_connect), the errno of a machine with no route.

Sockets are opened on first use (no fixed ports) and served by one daemon
thread; close() ends both.
"""

from __future__ import annotations

import selectors
import socket
import struct
import threading

LOOPBACK = "127.0.0.1"
# Where a TCP connect() fails at once with ENETUNREACH (see above); the port is never reached.
UNREACHABLE = ("255.255.255.255", 9)
# Accepted connections held at once: the oldest is dropped beyond this.
MAX_CONNECTIONS = 64
# What is read of a request before answering it (headers and a token call's form fit).
MAX_REQUEST_BYTES = 64 * 1024
# The kinds this module answers (the others of faults.NETWORK_KINDS need no socket of ours).
SERVED = ("connection_reset", "empty_reply")


def _request_complete(data: bytes) -> bool:
    """Whether a whole HTTP/1.1 request (headers, and a body of Content-Length) was read:
    closing with unread bytes would make the kernel send RST instead of a clean FIN."""
    head, separator, body = data.partition(b"\r\n\r\n")
    if not separator:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                return len(body) >= int(value.strip())
            except ValueError:
                return True
        if name.strip().lower() == b"transfer-encoding":
            return body.endswith(b"0\r\n\r\n")
    return True


class BadNetwork:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ports: dict[str, int] = {}
        self._sockets: list[socket.socket] = []  # every socket opened, for close()
        self._selector: selectors.BaseSelector | None = None
        self._thread: threading.Thread | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self._closed = False

    def address(self, kind: str) -> tuple[str, int]:
        """Where a call meeting `kind` must connect to fail as the network would."""
        if kind == "offline":
            return UNREACHABLE
        with self._lock:
            if self._closed:
                raise RuntimeError("the bad network is closed")
            if kind not in self._ports:
                self._ports[kind] = self._open(kind)
            return LOOPBACK, self._ports[kind]

    def _open(self, kind: str) -> int:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sockets.append(listener)
        listener.bind((LOOPBACK, 0))
        port = listener.getsockname()[1]
        if kind == "connection_refused":
            return port  # bound, never listening: the port stays ours, and refuses
        if kind == "connection_timed_out":
            listener.listen(0)
            filler = socket.create_connection((LOOPBACK, port))  # the only place in the queue
            self._sockets.append(filler)
            return port
        if kind not in SERVED:
            raise ValueError(f"no socket for {kind!r}")
        listener.listen(16)
        listener.setblocking(False)
        self._serving().register(listener, selectors.EVENT_READ, ("listener", kind))
        return port

    def _serving(self) -> selectors.BaseSelector:
        if self._selector is None:
            self._selector = selectors.DefaultSelector()
            self._wake = socket.socketpair()
            self._selector.register(self._wake[0], selectors.EVENT_READ, ("wake", None))
            self._thread = threading.Thread(target=self._serve, name="bad-network", daemon=True)
            self._thread.start()
        return self._selector

    def _serve(self) -> None:
        assert self._selector is not None
        held: dict[socket.socket, tuple[str, bytearray]] = {}
        while True:
            for key, _ in self._selector.select():
                role, kind = key.data
                if role == "wake":
                    for connection in held:
                        connection.close()
                    return
                if role == "listener":
                    try:
                        connection, _ = key.fileobj.accept()  # type: ignore[union-attr]
                    except (BlockingIOError, OSError):
                        continue
                    if len(held) >= MAX_CONNECTIONS:
                        oldest = next(iter(held))
                        self._selector.unregister(oldest)
                        oldest.close()
                        del held[oldest]
                    connection.setblocking(False)
                    held[connection] = (kind, bytearray())
                    self._selector.register(connection, selectors.EVENT_READ, ("connection", kind))
                    continue
                connection = key.fileobj  # type: ignore[assignment]
                received = held[connection][1]
                try:
                    chunk = connection.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    chunk = b""
                received += chunk
                if chunk and not _request_complete(bytes(received)) and len(received) < MAX_REQUEST_BYTES:
                    continue
                self._selector.unregister(connection)
                del held[connection]
                self._fail(connection, kind)

    @staticmethod
    def _fail(connection: socket.socket, kind: str) -> None:
        try:
            if kind == "connection_reset":
                # Linger on, for 0 s: close() discards the connection with RST.
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:  # empty_reply: an orderly close, nothing written
                connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        connection.close()

    def close(self) -> None:
        """Idempotent: the server's stop and a test's clean-up may both call it."""
        with self._lock:
            self._closed = True
            thread, wake = self._thread, self._wake
            self._thread = self._wake = None
        if wake is not None:
            wake[1].send(b"x")
        if thread is not None:
            thread.join(timeout=5)
        with self._lock:
            for sock in self._sockets:
                sock.close()
            if wake is not None:
                wake[0].close()
                wake[1].close()
            if self._selector is not None:
                self._selector.close()
                self._selector = None
            self._sockets.clear()
            self._ports.clear()
