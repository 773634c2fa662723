"""One exit-code rule for every command (README.md, "Exit codes"):
0 success, 1 the input is wrong, 2 usage or I/O.

Usage: exit_codes_test.py TOPOC SOURCE_DIR

Also: config.json problems are all reported in one run, each with its
line:column; "topology_specs" is type-checked and names where a project's
.topo files live; `topoc run` refuses I/O problems before it says it runs.
"""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

TOPOC = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


_as_other_user = {}


def binary_for(user):
    """The topoc binary `user` can run: the build tree may sit under a
    folder only its owner can enter (a mktemp -d clone), so another user
    gets a copy in a folder everyone can read."""
    if user is None:
        return TOPOC
    if user not in _as_other_user:
        d = tempfile.mkdtemp(prefix="topoc-exit-codes-bin-")
        atexit.register(shutil.rmtree, d, True)
        os.chmod(d, 0o755)
        path = os.path.join(d, "topoc")
        shutil.copy2(TOPOC, path)
        os.chmod(path, 0o755)
        _as_other_user[user] = path
    return _as_other_user[user]


def topoc(*args, cwd=None, user=None):
    def drop():
        if user is not None:
            os.setgid(user)
            os.setuid(user)
    return subprocess.run([binary_for(user), *args], capture_output=True, text=True, cwd=cwd, timeout=120,
                          preexec_fn=drop if user is not None else None)


def expect(code, args, label, cwd=None, user=None, stderr_has=None):
    r = topoc(*args, cwd=cwd, user=user)
    check(r.returncode == code, "%s: exit %d, expected %d\n%s" % (label, r.returncode, code, r.stderr))
    if stderr_has:
        for s in stderr_has:
            check(s in r.stderr, "%s: %r not in stderr:\n%s" % (label, s, r.stderr))
    return r


GOOD = 'topology t {\n  spout s = python "spouts.S" { output (x) }\n  bolt b = python "bolts.B" { input s shuffle }\n}\n'

with tempfile.TemporaryDirectory() as tmp:
    os.chmod(tmp, 0o755)
    good = os.path.join(tmp, "good.topo")
    bad = os.path.join(tmp, "bad.topo")
    with open(good, "w") as f:
        f.write(GOOD)
    with open(bad, "w") as f:
        f.write("topology t { spout }\n")

    # 0 / 1 / 2 for check and build.
    expect(0, ["check", good], "check good")
    expect(1, ["check", bad], "check syntax error")
    expect(2, ["check", os.path.join(tmp, "missing.topo")], "check missing file")
    expect(2, ["check", "--format", "yaml", good], "check bad option")
    expect(2, ["build", os.path.join(tmp, "missing.topo")], "build missing file")
    expect(1, ["build", bad, "--out", os.path.join(tmp, "o1")], "build syntax error")
    blocker = os.path.join(tmp, "blocker")
    with open(blocker, "w") as f:
        f.write("a file where a folder should be")
    expect(2, ["build", good, "--out", os.path.join(blocker, "out")], "build into an uncreatable folder",
           stderr_has=["cannot"])

    # An unreadable file is I/O (2), like a missing one, not bad input.
    secret = os.path.join(tmp, "secret.topo")
    with open(secret, "w") as f:
        f.write(GOOD)
    os.chmod(secret, 0)
    nobody = 65534 if os.geteuid() == 0 else None
    if nobody is None and os.access(secret, os.R_OK):
        print("SKIP unreadable-file case: the file stays readable")
    else:
        expect(2, ["check", secret], "check unreadable file", user=nobody, stderr_has=["E0009"])
        expect(2, ["build", secret, "--out", os.path.join(tmp, "o2")], "build unreadable file",
               user=nobody)

    # config.json: every problem in one run, each with line:column.
    proj = os.path.join(tmp, "proj")
    shutil.copytree(os.path.join(SRC, "examples", "wordcount"), proj)
    cfg_path = os.path.join(proj, "config.json")
    with open(cfg_path) as f:
        cfg = json.load(f)
    prod = cfg["envs"]["prod"]
    prod["nimbus"] = 42
    prod["workers"] = ["ok", 7, "-oProxyCommand=x"]
    prod["ssh_port"] = 70000
    prod["log"] = {"level": "loud", "max_bytes": -1, "backup_count": "ten"}
    prod["use_virtualenv"] = "yes"
    cfg["virtualenv_specs"] = []
    with open(cfg_path, "w") as f:
        json.dump(cfg, f, indent=4)
    r = expect(1, ["run", proj, "--time", "1"], "run with a broken config.json")
    lines = [l for l in r.stderr.splitlines() if "config.json:" in l and ": envs." in l or "virtualenv_specs" in l]
    want = ["envs.prod.nimbus", "envs.prod.workers[1]", "envs.prod.workers[2]", "envs.prod.ssh_port",
            "envs.prod.log.level", "envs.prod.log.max_bytes", "envs.prod.log.backup_count",
            "envs.prod.use_virtualenv", "virtualenv_specs"]
    for w in want:
        hit = [l for l in r.stderr.splitlines() if (": " + w + ":") in l]
        check(hit, "config.json problem %s not reported:\n%s" % (w, r.stderr))
        for l in hit:
            loc = l.split("config.json:", 1)[1].split(":")
            check(len(loc) > 2 and loc[0].isdigit() and loc[1].isdigit(),
                  "no line:column for %s: %s" % (w, l))
    check("running topology" not in r.stderr, "run said it runs with a broken config.json")
    check("%d problems" % len(want) in r.stderr, "problem count missing:\n%s" % r.stderr)

    # topology_specs: type-checked (exit 1 with line:column) ...
    proj2 = os.path.join(tmp, "proj2")
    shutil.copytree(os.path.join(SRC, "examples", "wordcount"), proj2)
    with open(os.path.join(proj2, "config.json")) as f:
        cfg = json.load(f)
    cfg["topology_specs"] = 42
    with open(os.path.join(proj2, "config.json"), "w") as f:
        json.dump(cfg, f, indent=4)
    for cmd in (["check"], ["build", "--out", os.path.join(tmp, "o3")], ["graph"]):
        expect(1, cmd + [proj2] if cmd[0] != "build" else ["build", proj2] + cmd[1:],
               "%s with topology_specs 42" % cmd[0], stderr_has=["topology_specs", "config.json:3:"])
    expect(1, ["check"], "check (found from the folder) with topology_specs 42", cwd=proj2)
    # ... and where the project's topologies live.
    cfg["topology_specs"] = "flows/"
    with open(os.path.join(proj2, "config.json"), "w") as f:
        json.dump(cfg, f, indent=4)
    os.rename(os.path.join(proj2, "topologies"), os.path.join(proj2, "flows"))
    expect(0, ["check"], "check a project whose topologies live in flows/", cwd=proj2)
    expect(0, ["build", "--out", os.path.join(tmp, "o4")], "build from flows/", cwd=proj2)
    check(os.path.exists(os.path.join(tmp, "o4")), "build from flows/ wrote nothing")

    # topoc run: an I/O problem is 2, and reported before "running topology".
    proj3 = os.path.join(tmp, "proj3")
    shutil.copytree(os.path.join(SRC, "examples", "wordcount"), proj3)
    with open(os.path.join(proj3, "logs"), "w") as f:
        f.write("a file where the logs folder goes")
    r = expect(2, ["run", proj3, "--time", "1"], "run with an uncreatable logs folder",
               stderr_has=["cannot create"])
    check("running topology" not in r.stderr, "run said it runs before failing on I/O:\n" + r.stderr)
    expect(2, ["run", os.path.join(tmp, "nowhere")], "run a missing folder")
    expect(2, ["explain", "E9999"], "explain an unknown code")

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
