#!/usr/bin/python3
"""`topoc doctor`:

  * on this machine (install-deps.sh installed everything) a quickstart
    project has everything it needs: exit 0, a table, and JSON naming the
    runtime and the interpreter;
  * with a PATH that has python3 but no Graphviz, `dot` is MISSING and the
    exit code is 1 (text and JSON agree); optional tools (pytest, lein) never
    make it fail;
  * --environment ENV with a Nimbus and a worker that do not answer: both are
    reported (connection refused, ssh failing in BatchMode) within the short
    timeout, exit 1; an unknown env or a bad --format: exit 2.

Usage: doctor_test.py TOPOC
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

TOPOC = os.path.abspath(sys.argv[1])
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def topoc(*args, cwd=None, env=None, timeout=120):
    p = subprocess.run([TOPOC, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    return p.returncode, p.stdout, p.stderr


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def by_check(doc):
    return {c["check"]: c for c in doc["checks"]}


def main():
    with tempfile.TemporaryDirectory(prefix="topoc-doctor-") as tmp:
        rc, _, err = topoc("quickstart", "demo", "--dir", tmp)
        check(rc == 0, "quickstart: %s" % err)
        proj = os.path.join(tmp, "demo")
        env = dict(os.environ, TOPOC_PYTHON="/usr/bin/python3")

        rc, out, err = topoc("doctor", cwd=proj, env=env)
        check(rc == 0, "doctor on a full machine exits 0 (rc=%d):\n%s%s" % (rc, out, err))
        check(out.startswith("JOB") and "STATUS" in out, "a table: %s" % out)
        rc, out, err = topoc("doctor", proj, "--format", "json", env=env)
        doc = json.loads(out)
        checks = by_check(doc)
        check(doc["ok"] is True and rc == 0, "json ok: %s" % out)
        check(doc["project"] == os.path.realpath(proj) or doc["project"] == proj, "json project: %s" % doc["project"])
        check(os.path.isfile(os.path.join(doc["python_runtime"], "streamparse", "testing.py")),
              "json names the runtime folder: %s" % doc["python_runtime"])
        check(checks["python: /usr/bin/python3"]["ok"], "the interpreter runs: %s" % checks)
        check(checks["import streamparse"]["ok"], "it imports streamparse: %s" % checks["import streamparse"])
        check(checks["dot"]["ok"] and "graphviz" in checks["dot"]["detail"].lower(),
              "dot found with its version: %s" % checks["dot"])
        check(checks["ssh"]["needed"], "ssh is needed: the project has envs")

        # PATH with python3 but nothing else: dot is missing.
        bare = os.path.join(tmp, "bin")
        os.mkdir(bare)
        os.symlink("/usr/bin/python3", os.path.join(bare, "python3"))
        os.symlink("/usr/bin/ssh", os.path.join(bare, "ssh"))
        env_bare = {"PATH": bare, "HOME": os.environ.get("HOME", tmp)}
        rc, out, err = topoc("doctor", proj, env=env_bare)
        check(rc == 1, "no graphviz: exit 1 (rc=%d):\n%s%s" % (rc, out, err))
        dot_line = [l for l in out.splitlines() if l.split()[:2] == ["graph", "dot"]]
        check(dot_line and "MISSING" in dot_line[0] and "not on PATH" in dot_line[0], "dot MISSING: %s" % out)
        check("Something topoc needs is missing or failed" in out, "the verdict: %s" % out)
        rc, out, err = topoc("doctor", proj, "--format", "json", env=env_bare)
        doc = json.loads(out)
        check(rc == 1 and doc["ok"] is False, "json agrees (rc=%d)" % rc)
        missing = [c["check"] for c in doc["checks"] if c["needed"] and not c["ok"]]
        check(missing == ["dot"], "only dot is missing and needed: %s" % missing)
        check(not by_check(doc)["java"]["ok"] and not by_check(doc)["java"]["needed"],
              "java absent but optional: %s" % by_check(doc)["java"])

        # An interpreter that is not there.
        rc, out, err = topoc("doctor", proj, "--python", "/nonexistent/python3", env=env)
        check(rc == 1 and "not found" in out, "missing interpreter: exit 1 (rc=%d): %s" % (rc, out))

        # --environment: a Nimbus and a worker that do not answer.
        nimbus_port, ssh_port = free_port(), free_port()
        cfg = {
            "envs": {
                "dead": {
                    "nimbus": "127.0.0.1:%d" % nimbus_port,
                    "workers": ["127.0.0.1"],
                    "ssh_port": ssh_port,
                    "user": "nobody",
                    "virtualenv_root": "/tmp/venvs",
                }
            }
        }
        with open(os.path.join(proj, "config.json"), "w") as f:
            json.dump(cfg, f)
        start = time.monotonic()
        rc, out, err = topoc("doctor", proj, "-e", "dead", "--timeout", "2", "--format", "json", env=env)
        took = time.monotonic() - start
        check(rc == 1, "dead env: exit 1 (rc=%d): %s%s" % (rc, out, err))
        try:
            checks = by_check(json.loads(out))
        except ValueError:
            checks = {}
        n = checks.get("nimbus 127.0.0.1:%d" % nimbus_port, {})
        check(n and not n["ok"] and str(nimbus_port) in n["detail"], "nimbus reported: %s" % n)
        w = checks.get("ssh 127.0.0.1", {})
        check(w and not w["ok"] and w["detail"], "worker reported: %s" % w)
        check(took < 30, "short timeouts: %.1f s" % took)

        rc, out, err = topoc("doctor", proj, "-e", "prod", env=env)
        check(rc == 2 and "prod" in err, "unknown env: exit 2 (rc=%d): %s" % (rc, err))
        rc, out, err = topoc("doctor", proj, "--format", "yaml", env=env)
        check(rc == 2, "bad --format: exit 2 (rc=%d)" % rc)

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("doctor: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
