"""In-process unit tests of the serializers, log helpers and Tuple."""

import io
import logging
import os
import threading
import unittest

from streamparse import serializers
from streamparse.ipc import Tuple, tuple_from_message
from streamparse.log import (LogStream, component_identity, log_file_name,
                             parse_level)
from streamparse.serializers import (JsonSerializer, ProtocolError,
                                     detect_serializer)


class PipeSerializer(object):
    def __init__(self, data):
        r, w = os.pipe()

        def feed():  # a thread: data may be larger than the pipe buffer
            os.write(w, data)
            os.close(w)

        self.feeder = threading.Thread(target=feed, daemon=True)
        self.feeder.start()
        self.r = r
        out_r, out_w = os.pipe()
        self.out_r, self.out_w = out_r, out_w
        self.s = JsonSerializer(r, out_w)

    def close(self):
        for fd in (self.r, self.out_r, self.out_w):
            try:
                os.close(fd)
            except OSError:
                pass


class JsonSerializerTest(unittest.TestCase):
    def read_all(self, data):
        p = PipeSerializer(data)
        self.addCleanup(p.close)
        out = []
        while True:
            msg = p.s.read_message()
            if msg is None:
                return out
            out.append(msg)

    def test_messages_and_arrays(self):
        self.assertEqual(self.read_all(b'{"a":1}\nend\n[1,2]\nend\n'),
                         [{"a": 1}, [1, 2]])

    def test_multiline_and_crlf(self):
        self.assertEqual(self.read_all(b'{\n "a":\n  "end"\n}\nend\r\n'),
                         [{"a": "end"}])

    def test_empty_message_is_an_error(self):
        with self.assertRaises(ProtocolError):
            self.read_all(b'end\n')

    def test_missing_end(self):
        with self.assertRaisesRegex(ProtocolError, "middle of a message"):
            self.read_all(b'{"a":1}\n')

    def test_bad_json(self):
        with self.assertRaisesRegex(ProtocolError, "invalid JSON"):
            self.read_all(b'{"a":}\nend\n')

    def test_large_message_split_over_reads(self):
        big = {"tuple": ["x" * 200000]}
        import json
        data = json.dumps(big).encode() + b"\nend\n"
        self.assertEqual(self.read_all(data * 2), [big, big])

    def test_write(self):
        p = PipeSerializer(b"")
        self.addCleanup(p.close)
        p.s.write_message({"command": "sync"})
        self.assertEqual(os.read(p.out_r, 100), b'{"command":"sync"}\nend\n')


class DetectTest(unittest.TestCase):
    def test_detect(self):
        self.assertEqual(detect_serializer(b'  \n{"conf"'), "json")
        self.assertEqual(detect_serializer(b"\x83\xa4conf"), "msgpack")
        self.assertEqual(detect_serializer(b"\xde\x00\x10"), "msgpack")
        self.assertIsNone(detect_serializer(b"hello"))
        self.assertIsNone(detect_serializer(b"   "))

    def test_neither_json_nor_msgpack(self):
        r, w = os.pipe()
        os.write(w, b"GET / HTTP/1.0\r\n")
        os.close(w)
        self.addCleanup(os.close, r)
        with self.assertRaisesRegex(ProtocolError, "neither JSON nor"):
            serializers.open_serializer(r, 1)


class LogHelpersTest(unittest.TestCase):
    def test_component_identity(self):
        self.assertEqual(component_identity({"taskid": 3,
                                             "componentid": "c"}), ("c", 3))
        self.assertEqual(component_identity(
            {"taskid": 3, "task->component": {"3": "old"}}), ("old", 3))
        self.assertEqual(component_identity({}), ("unknown", "unknown"))

    def test_log_file_name(self):
        self.assertEqual(
            log_file_name({"topology.name": "wc"},
                          {"taskid": 2, "componentid": "split"}, pid=77),
            "streamparse_wc_split_2_77.log")

    def test_parse_level(self):
        self.assertEqual(parse_level(None), logging.INFO)
        self.assertEqual(parse_level("Critical"), logging.CRITICAL)
        with self.assertRaises(ValueError):
            parse_level("verbose")

    def test_log_stream_lines(self):
        records = []

        class Catch(logging.Handler):
            def emit(self, record):
                records.append(record.getMessage())

        logger = logging.getLogger("test.logstream")
        logger.propagate = False
        logger.addHandler(Catch())
        logger.setLevel(logging.INFO)
        stream = LogStream(logger)
        print("one", "two", file=stream)
        stream.write("part")
        self.assertEqual(records, ["one two"])
        stream.write("ial\nnext")
        stream.flush()
        self.assertEqual(records, ["one two", "partial", "next"])


class TupleTest(unittest.TestCase):
    def test_fields(self):
        t = tuple_from_message({"id": "9", "comp": "c", "stream": "s",
                                "task": 4, "tuple": [1]})
        self.assertEqual((t.id, t.component, t.stream, t.task, t.values),
                         ("9", "c", "s", 4, [1]))
        self.assertFalse(t.is_tick() or t.is_heartbeat())
        self.assertTrue(Tuple("x", "__system", "__tick", -1, [1]).is_tick())
        self.assertTrue(Tuple("x", None, "__heartbeat", -1, []).is_heartbeat())


if __name__ == "__main__":
    unittest.main()
