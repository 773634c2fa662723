"""Raw multilang for the end-to-end tests (standard library only).

Not the streamparse runtime: these helpers speak Storm's protocol directly so
the runner can be tested on its own.
"""
import json
import os
import sys


def read_msg():
    lines = []
    while True:
        line = sys.stdin.readline()
        if not line:
            sys.exit(0)
        line = line.rstrip("\n")
        if line == "end":
            break
        lines.append(line)
    return json.loads("\n".join(lines))


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\nend\n")
    sys.stdout.flush()


def handshake():
    m = read_msg()
    open(os.path.join(m["pidDir"], str(os.getpid())), "w").close()
    send({"pid": os.getpid()})
    return m["conf"], m["context"]


def append(path, line):
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.write(fd, (line + "\n").encode())
    os.close(fd)
