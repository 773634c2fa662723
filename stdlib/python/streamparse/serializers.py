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
import json.encoder
import os
import time
from collections import deque

try:  # optional
    import msgpack  # type: ignore
except ImportError:  # pragma: no cover - depends on the machine
    msgpack = None

_READ_SIZE = 65536

_JSON_SPACE = (" ", "\t", "\r", "\n")
_EMPTY_MESSAGE = "empty multilang message (a line 'end' with no JSON before it)"


def _not_serializable(o):
    raise TypeError("Object of type %s is not JSON serializable"
                    % type(o).__name__)


def _make_json_dumps():
    """Compact JSON encoding through the C encoder directly (what
    json.dumps does underneath, without its per-call Python layers)."""
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:  # pragma: no cover - pure-Python json
        return json.JSONEncoder(separators=(",", ":")).encode
    encode_str = json.encoder.encode_basestring_ascii
    # No circular-reference markers (kept between calls they could go
    # stale after an error): a cyclic value ends in RecursionError instead.
    encoder = c_make_encoder(None, _not_serializable, encode_str, None, ":",
                             ",", False, False, True)
    join = "".join

    def dumps(o):
        if type(o) is str:
            return encode_str(o)
        return join(encoder(o, 0))
    return dumps


_json_dumps = _make_json_dumps()
_json_str = json.encoder.encode_basestring_ascii


class ProtocolError(Exception):
    """The peer broke the multilang protocol (bad framing or bad data)."""


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class _Output(object):
    """Output side shared by the serializers: messages can be queued and
    written together by flush(). ``before_block`` (set by the component) is
    called before every blocking read, so output queued by the reading
    thread is always written before it waits for input."""

    _MAX_QUEUED = 256

    def _init_output(self, out_fd):
        self._out_fd = out_fd
        self._out = []
        self._queued_at = 0.0
        self.before_block = None

    def queue_message(self, message):
        self.queue_raw(self.encode(message))

    def queue_raw(self, data):
        out = self._out
        if not out:
            self._queued_at = time.monotonic()
        out.append(data)
        if len(out) >= self._MAX_QUEUED:
            self.flush()

    def flush_if_older(self, max_age):
        """Writes queued output that has waited more than max_age seconds
        (slow user code must not hold back acks and heartbeat syncs)."""
        if self._out and time.monotonic() - self._queued_at > max_age:
            self.flush()

    def flush(self):
        if self._out:
            data = b"".join(self._out)
            del self._out[:]
            _write_all(self._out_fd, data)

    def write_message(self, message):
        self.queue_message(message)
        self.flush()

    def write_raw(self, data):
        self.queue_raw(data)
        self.flush()

    def _read_chunk(self, in_fd):
        if self.before_block is not None:
            self.before_block()
        else:
            self.flush()
        return os.read(in_fd, _READ_SIZE)


class JsonSerializer(_Output):
    name = "json"

    def __init__(self, in_fd, out_fd, initial=b""):
        self._in_fd = in_fd
        self._init_output(out_fd)
        self._buf = bytearray(initial)
        self._pos = 0      # start of the unread data in _buf
        self._ready = deque()  # bodies of complete messages already split
        self._dumps = _json_dumps
        self._scan = json.JSONDecoder().scan_once

    def _fill(self):
        """Appends the next chunk of input; False at EOF. Drops consumed
        bytes first so the buffer stays small."""
        if self._pos:
            del self._buf[:self._pos]
            self._pos = 0
        chunk = self._read_chunk(self._in_fd)
        if not chunk:
            return False
        self._buf += chunk
        return True

    def read_message(self):
        ready = self._ready
        if ready:
            return self._decode(ready.popleft())
        buf = self._buf
        scan = self._pos
        while True:
            pos = self._pos
            if buf.startswith(b"end", pos) and (
                    buf.startswith(b"end\n", pos) or
                    buf.startswith(b"end\r\n", pos)):
                raise ProtocolError(_EMPTY_MESSAGE)
            # The message ends at the first line that is exactly "end"
            # (or "end\r"): JSON text never has a line starting with a bare
            # 'end', so a search for "\nend" finds it.
            idx = buf.find(b"\nend", scan)
            while idx != -1:
                after = idx + 4
                if after >= len(buf):
                    break  # need more input to see the line's end
                c = buf[after]
                if c == 10:
                    stop = after + 1
                elif c == 13 and after + 1 < len(buf):
                    if buf[after + 1] != 10:
                        idx = buf.find(b"\nend", idx + 1)
                        continue
                    stop = after + 2
                elif c == 13:
                    break  # need more input
                else:
                    idx = buf.find(b"\nend", idx + 1)
                    continue
                body = bytes(buf[pos:idx])
                self._split_complete(stop)
                return self._decode(body)
            # Rescan only the tail that could hold a split "\nend\r\n".
            scan = max(0, len(buf) - 5) - self._pos
            if not self._fill():
                if buf[self._pos:].strip():
                    raise ProtocolError(
                        "input ended in the middle of a message (no 'end' "
                        "line after %r)" % bytes(buf[self._pos:][:200]))
                return None
            scan = max(scan, 0)

    def _split_complete(self, stop):
        """Consumes the buffer up to ``stop`` and splits off, in one go, the
        complete messages that follow it (the common case: a read brings
        many), so the next reads just take them. Input with carriage
        returns is left to the message-by-message path."""
        buf = self._buf
        last = buf.rfind(b"\nend\n", stop)
        if last != -1 and (last + 5 == len(buf) or buf[last + 5] != 10):
            chunk = bytes(buf[stop:last + 5])
            if b"\r" not in chunk and not chunk.startswith(b"end\n"):
                parts = chunk.split(b"\nend\n")
                parts.pop()  # after the last terminator: empty
                self._ready.extend(parts)
                stop = last + 5
        if stop == len(buf):
            del buf[:]
            self._pos = 0
        else:
            self._pos = stop

    def _decode(self, body):
        try:
            text = body.decode("utf-8")
            if text[:1] in _JSON_SPACE:
                text = text.strip()
                if not text:
                    raise ProtocolError(_EMPTY_MESSAGE)
            if text[:4] == "end\n":
                raise ProtocolError(_EMPTY_MESSAGE)
            value, end = self._scan(text, 0)
            if end != len(text) and text[end:].strip():
                raise ValueError("extra data after the JSON value at "
                                 "character %d" % end)
            return value
        except StopIteration as exc:
            raise ProtocolError("invalid JSON in multilang message: "
                                "expecting a value at character %s: %r"
                                % (exc.value, body[:200]))
        except ValueError as exc:  # UnicodeDecodeError, JSONDecodeError
            raise ProtocolError("invalid JSON in multilang message: "
                                "%s: %r" % (exc, body[:200]))

    def encode(self, message):
        return self._dumps(message).encode("utf-8") + b"\nend\n"

    def encode_ack(self, kind, tup_id):
        """The ``ack`` or ``fail`` command for tup_id, built directly."""
        if type(tup_id) is str:
            return ('{"command":"%s","id":%s}\nend\n'
                    % (kind, _json_str(tup_id))).encode("ascii")
        return self.encode({"command": kind, "id": tup_id})


class MsgpackSerializer(_Output):
    name = "msgpack"

    def __init__(self, in_fd, out_fd, initial=b""):
        if msgpack is None:
            raise ProtocolError("the msgpack serializer needs the 'msgpack' "
                                "Python module, which is not installed")
        self._in_fd = in_fd
        self._init_output(out_fd)
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
            chunk = self._read_chunk(self._in_fd)
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

    def encode_ack(self, kind, tup_id):
        return self._packer.pack({"command": kind, "id": tup_id})


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
