"""Wire formats of Storm's multilang protocol.

Two serializers read messages from a file descriptor and write them to another:

* ``JsonSerializer`` -- Storm's default: each message is one JSON value
  followed by a line holding exactly ``end``. A message may span several
  lines (pretty-printed JSON is accepted); lines are joined with ``\\n``.
* ``MsgpackSerializer`` -- each message is one MessagePack object, objects
  follow each other with no separator. Needs the optional ``msgpack`` module.

Both read with ``os.read`` on the raw descriptor (never a blocking
``read(n)`` on a buffered file), so a reply that is shorter than a buffer is
seen at once.  ``read_message`` returns ``None`` at a clean end of input
(EOF between messages) and raises ``ProtocolError`` for a truncated or
undecodable message.

``detect_serializer(first_bytes)`` picks the format from the first bytes
Storm sends (the handshake): a JSON object starts with ``{`` (after optional
white space), a MessagePack map with a byte 0x80-0x8f, 0xde or 0xdf.
"""

import json
import os

try:  # optional
    import msgpack  # type: ignore
except ImportError:  # pragma: no cover - depends on the machine
    msgpack = None

_READ_SIZE = 65536


class ProtocolError(Exception):
    """The peer broke the multilang protocol (bad framing or bad data)."""


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class JsonSerializer(object):
    name = "json"

    def __init__(self, in_fd, out_fd, initial=b""):
        self._in_fd = in_fd
        self._out_fd = out_fd
        self._buf = bytearray(initial)
        self._eof = False
        self._dumps = json.JSONEncoder(separators=(",", ":")).encode

    def _fill(self):
        chunk = os.read(self._in_fd, _READ_SIZE)
        if not chunk:
            self._eof = True
            return False
        self._buf += chunk
        return True

    def read_message(self):
        buf = self._buf
        scan = 0
        while True:
            # A message ends at a line that is exactly "end" (optionally "end\r").
            if buf.startswith(b"end\n") or buf.startswith(b"end\r\n"):
                raise ProtocolError("empty multilang message (a line 'end' "
                                    "with no JSON before it)")
            idx = buf.find(b"\nend\n", scan)
            idx_cr = buf.find(b"\nend\r\n", scan)
            if idx_cr != -1 and (idx == -1 or idx_cr < idx):
                end_len = 6
                idx = idx_cr
            else:
                end_len = 5
            if idx != -1:
                body = bytes(buf[:idx])
                del buf[:idx + end_len]
                if not body.strip():
                    raise ProtocolError("empty multilang message (a line "
                                        "'end' with no JSON before it)")
                try:
                    return json.loads(body)
                except ValueError as exc:
                    raise ProtocolError("invalid JSON in multilang message: "
                                        "%s: %r" % (exc, body[:200]))
            scan = max(0, len(buf) - 5)
            if not self._fill():
                if buf.strip():
                    raise ProtocolError(
                        "input ended in the middle of a message (no 'end' "
                        "line after %r)" % bytes(buf[:200]))
                return None

    def encode(self, message):
        return self._dumps(message).encode("utf-8") + b"\nend\n"

    def write_message(self, message):
        _write_all(self._out_fd, self.encode(message))

    def write_raw(self, data):
        _write_all(self._out_fd, data)


class MsgpackSerializer(object):
    name = "msgpack"

    def __init__(self, in_fd, out_fd, initial=b""):
        if msgpack is None:
            raise ProtocolError("the msgpack serializer needs the 'msgpack' "
                                "Python module, which is not installed")
        self._in_fd = in_fd
        self._out_fd = out_fd
        self._unpacker = msgpack.Unpacker(raw=False)
        if initial:
            self._unpacker.feed(initial)
        self._packer = msgpack.Packer(use_bin_type=True)
        self._pending = False

    def read_message(self):
        while True:
            try:
                return next(self._unpacker)
            except StopIteration:
                pass
            except Exception as exc:  # msgpack's own error classes
                raise ProtocolError("invalid MessagePack data: %s" % exc)
            chunk = os.read(self._in_fd, _READ_SIZE)
            if not chunk:
                if self._unpacker.tell() != self._fed:
                    raise ProtocolError("input ended in the middle of a "
                                        "MessagePack message")
                return None
            self._fed_add(len(chunk))
            self._unpacker.feed(chunk)

    # Track how many bytes were fed to tell a clean EOF from a truncated one.
    _fed = 0

    def _fed_add(self, n):
        self._fed += n

    def encode(self, message):
        return self._packer.pack(message)

    def write_message(self, message):
        _write_all(self._out_fd, self._packer.pack(message))

    def write_raw(self, data):
        _write_all(self._out_fd, data)


def msgpack_available():
    return msgpack is not None


def detect_serializer(first_bytes):
    """Returns "json" or "msgpack" for the first bytes of the input, or None
    when they are neither (or empty)."""
    for b in bytearray(first_bytes):
        if b in (0x20, 0x09, 0x0A, 0x0D):
            continue
        if b == 0x7B:  # '{'
            return "json"
        if 0x80 <= b <= 0x8F or b in (0xDE, 0xDF):
            return "msgpack"
        return None
    return None


def open_serializer(in_fd, out_fd):
    """Reads the first bytes of in_fd, picks the serializer and returns it
    (the bytes read are kept in its buffer). Returns None when the input is
    empty. Raises ProtocolError when the input is neither JSON nor
    MessagePack, or MessagePack without the msgpack module."""
    initial = b""
    while True:
        chunk = os.read(in_fd, _READ_SIZE)
        if not chunk:
            if initial.strip():
                raise ProtocolError("input ended before the handshake was "
                                    "complete")
            return None
        initial += chunk
        if initial.strip():
            break
    kind = detect_serializer(initial)
    if kind == "json":
        return JsonSerializer(in_fd, out_fd, initial)
    if kind == "msgpack":
        if msgpack is None:
            raise ProtocolError(
                "Storm sent a MessagePack handshake but the 'msgpack' Python "
                "module is not installed; install it (Debian: python3-msgpack, "
                "or pip install msgpack) or use the JSON serializer")
        s = MsgpackSerializer(in_fd, out_fd, initial)
        s._fed = len(initial)
        return s
    raise ProtocolError("the handshake is neither JSON nor MessagePack "
                        "(first bytes %r)" % initial[:40])
