#!/usr/bin/env python3
"""End-to-end: `topoc run --ui` on tests/run/ui/project.

- a port in use, or the module missing, stops the run before it starts
  (exit 2, the port or the module's path named);
- the Storm UI REST API v1 subset: shapes and Storm's key names, counts
  that grow between two polls, windows "600" and ":all-time", per-task
  component pages, the visualization, 404s with Storm's error JSON for an
  unknown topology or component, 400 for a bad window;
- the event stream (/topoc/events) and a task's log tail;
- the page in headless Chromium (Debian's `chromium`): the DOM it renders
  shows the graph (every component a node of Graphviz's SVG), the live
  figures under the nodes and in the table, and the end of the run, which
  only the event stream tells; a screenshot goes to the build folder.
  Without chromium this part is skipped with a message (exit 77, which
  ctest shows as skipped); scripts/install-deps.sh installs it.

usage: ui_test.py TOPOC_BINARY SOURCE_DIR SCREENSHOT_PATH
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

topoc, source, screenshot = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def get(url, timeout=5):
    """(status, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def get_json(url):
    status, body = get(url)
    return status, json.loads(body)


def project_copy(tmp):
    dst = os.path.join(tmp, "project")
    shutil.copytree(os.path.join(source, "tests", "run", "ui", "project"), dst,
                    ignore=shutil.ignore_patterns("logs", "_build", "__pycache__"))
    return dst


def start(project, *args):
    """topoc run in the background; its output goes to files (a pipe no one
    reads while the test polls would fill and stop the run)."""
    env = dict(os.environ, TOPOC_PYTHON_RUNTIME=os.path.join(source, "stdlib", "python"))
    out = open(project + ".out", "w+")
    err = open(project + ".err", "w+")
    proc = subprocess.Popen([topoc, "run", project, *args], stdout=out, stderr=err, text=True, env=env)
    proc.err_path = err.name
    return proc


def stderr_of(proc):
    with open(proc.err_path) as f:
        return f.read()


def wait_url(proc):
    """The live view's URL from topoc's stderr."""
    deadline = time.time() + 30
    while time.time() < deadline:
        m = re.search(r"live view at (http://127\.0\.0\.1:\d+/)", stderr_of(proc))
        if m:
            return m.group(1).rstrip("/")
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    sys.exit("FAIL no live view URL in topoc's stderr:\n" + stderr_of(proc))


def port_in_use(tmp):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    project = project_copy(os.path.join(tmp, "busy"))
    t0 = time.time()
    proc = start(project, "--time", "5", "--ui-port", str(port))
    proc.wait(timeout=60)
    err = stderr_of(proc)
    busy.close()
    check(proc.returncode == 2, "a port in use: exit 2 (got %d)" % proc.returncode)
    check(("127.0.0.1:%d" % port) in err and "in use" in err, "a port in use: the message names it: %r" % err)
    logs = os.path.join(project, "logs")
    check("running topology" not in err and not (os.path.isdir(logs) and os.listdir(logs)),
          "a port in use: no task started")
    check(time.time() - t0 < 10, "a port in use: stops at once")


def module_missing(tmp):
    project = project_copy(os.path.join(tmp, "nomodule"))
    env = dict(os.environ, TOPOC_UI_PLUGIN=os.path.join(tmp, "none.so"))
    proc = subprocess.run([topoc, "run", project, "--time", "5", "--ui"], capture_output=True, text=True,
                          env=env, timeout=60)
    check(proc.returncode == 2 and "none.so" in proc.stderr and "running topology" not in proc.stderr,
          "no module: exit 2 before the run, naming where it looked: %r" % proc.stderr)


def rest(base):
    status, cluster = get_json(base + "/api/v1/cluster/summary")
    check(status == 200, "cluster summary: 200")
    for k in ["stormVersion", "supervisors", "topologies", "slotsTotal", "slotsUsed", "slotsFree",
              "executorsTotal", "tasksTotal"]:
        check(k in cluster, "cluster summary has " + k)
    check(cluster.get("tasksTotal") == 5, "cluster summary: 5 tasks")
    _, summary = get_json(base + "/api/v1/topology/summary")
    topo = summary["topologies"][0]
    for k in ["id", "name", "status", "uptime", "uptimeSeconds", "tasksTotal", "executorsTotal"]:
        check(k in topo, "topology summary has " + k)
    check(topo["name"] == "live" and topo["status"] == "ACTIVE", "topology summary: live, ACTIVE")
    tid = topo["id"]
    check(re.fullmatch(r"live-1-\d+", tid) is not None, "topology id like Storm's: " + tid)

    # Wait until the tuples flow, then two polls.
    deadline = time.time() + 60
    while time.time() < deadline:
        _, t1 = get_json(base + "/api/v1/topology/" + tid)
        if t1["spouts"] and t1["spouts"][0]["acked"] > 0:
            break
        time.sleep(0.5)
    time.sleep(2.5)
    _, t2 = get_json(base + "/api/v1/topology/" + tid)
    for k in ["id", "name", "status", "uptime", "uptimeSeconds", "tasksTotal", "workersTotal",
              "executorsTotal", "msgTimeout", "window", "windowHint", "topologyStats", "spouts", "bolts",
              "configuration"]:
        check(k in t2, "topology has " + k)
    check(t2["window"] == ":all-time", "topology: default window :all-time")
    check([w["window"] for w in t2["topologyStats"]] == ["600", ":all-time"], "topologyStats: 600 and :all-time")
    for w in t2["topologyStats"]:
        for k in ["windowPretty", "window", "emitted", "transferred", "completeLatency", "acked", "failed"]:
            check(k in w, "topologyStats[%s] has %s" % (w["window"], k))
    spout = t2["spouts"][0]
    for k in ["spoutId", "emitted", "transferred", "acked", "failed", "completeLatency", "executors", "tasks",
              "lastError"]:
        check(k in spout, "spout has " + k)
    bolts = {b["boltId"]: b for b in t2["bolts"]}
    check(sorted(bolts) == ["relay", "sink"], "bolts: relay, sink")
    for b in bolts.values():
        for k in ["boltId", "emitted", "transferred", "executed", "acked", "failed", "capacity",
                  "executeLatency", "processLatency", "executors", "tasks", "lastError"]:
            check(k in b, "bolt %s has %s" % (b["boltId"], k))
    s1 = t1["spouts"][0]
    check(spout["emitted"] > s1["emitted"] and spout["acked"] > s1["acked"],
          "spout counts grow between polls (%d -> %d acked)" % (s1["acked"], spout["acked"]))
    b1 = {b["boltId"]: b for b in t1["bolts"]}
    check(bolts["sink"]["executed"] > b1["sink"]["executed"], "sink executed grows between polls")
    check(float(spout["completeLatency"]) > 0, "complete latency measured: " + spout["completeLatency"])
    check(float(bolts["sink"]["executeLatency"]) > 0.1,
          "sink execute latency measured (>0.1 ms of work): " + bolts["sink"]["executeLatency"])
    check(0 < float(bolts["sink"]["capacity"]) <= 1, "sink capacity in (0, 1]: " + bolts["sink"]["capacity"])
    check(bolts["relay"]["emitted"] > 0 and bolts["relay"]["transferred"] > 0, "relay emitted and transferred")
    _, w600 = get_json(base + "/api/v1/topology/%s?window=600" % tid)
    check(w600["window"] == "600" and w600["windowHint"] == "10m 0s", "window=600 accepted")

    # Errors and restarts show up.
    deadline = time.time() + 40
    while time.time() < deadline:
        _, t3 = get_json(base + "/api/v1/topology/" + tid)
        relay = [b for b in t3["bolts"] if b["boltId"] == "relay"][0]
        if relay["lastError"] and relay["failed"] > 0:
            break
        time.sleep(1)
    check("refused" in relay["lastError"] or "exit" in relay["lastError"],
          "relay's lastError: %r" % relay["lastError"][:80])
    check(isinstance(relay["errorTime"], int) and relay["errorLapsedSecs"] is not None, "relay's errorTime set")

    status, comp = get_json(base + "/api/v1/topology/%s/component/relay" % tid)
    check(status == 200, "component page: 200")
    for k in ["id", "name", "componentType", "executors", "tasks", "topologyId", "window", "windowHint",
              "componentErrors", "boltStats", "executorStats"]:
        check(k in comp, "component has " + k)
    check(comp["componentType"] == "bolt" and len(comp["executorStats"]) == 2, "relay: a bolt with 2 executors")
    for e in comp["executorStats"]:
        for k in ["id", "uptime", "emitted", "transferred", "acked", "failed", "executed", "capacity",
                  "executeLatency", "processLatency", "pid", "state", "restarts"]:
            check(k in e, "executor %s has %s" % (e.get("id"), k))
    check(all(re.fullmatch(r"\[(\d+)-\1\]", e["id"]) for e in comp["executorStats"]), "executor ids like [3-3]")
    check(comp["componentErrors"] and "error" in comp["componentErrors"][0], "relay's componentErrors listed")
    _, spc = get_json(base + "/api/v1/topology/%s/component/numbers" % tid)
    check(spc["componentType"] == "spout" and [w["window"] for w in spc["spoutSummary"]] == ["600", ":all-time"],
          "spout component: spoutSummary per window")

    _, vis = get_json(base + "/api/v1/topology/%s/visualization" % tid)
    check(sorted(vis) == ["numbers", "relay", "sink"], "visualization: every component")
    check(vis["sink"][":inputs"] == [{":component": "relay", ":stream": "default", ":sani-stream": "default",
                                      ":grouping": "fields"}], "visualization: sink's input")
    for k in [":type", ":capacity", ":latency", ":transferred", ":stats", ":link", ":inputs"]:
        check(k in vis["relay"], "visualization has " + k)

    status, err = get_json(base + "/api/v1/topology/nope-1-1")
    check(status == 404 and "error" in err and "errorMessage" in err, "unknown topology: 404 with Storm's error JSON")
    status, err = get_json(base + "/api/v1/topology/%s/component/nope" % tid)
    check(status == 404 and "nope" in err.get("errorMessage", ""), "unknown component: 404 naming it")
    status, err = get_json(base + "/api/v1/topology/%s?window=3h" % tid)
    check(status == 400 and "window" in err.get("errorMessage", ""), "bad window: 400")

    with urllib.request.urlopen(base + "/topoc/events", timeout=10) as r:
        check(r.headers.get("Content-Type", "").startswith("text/event-stream"), "events: text/event-stream")
        events = []
        t0 = time.time()
        while len(events) < 2 and time.time() - t0 < 10:
            line = r.readline().decode()
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
        check(len(events) == 2, "events: two within 10 s")
        if len(events) == 2:
            check(events[1]["uptimeSeconds"] > events[0]["uptimeSeconds"], "events: one a second, uptime grows")
    _, sinkc = get_json(base + "/api/v1/topology/%s/component/sink" % tid)
    # fields(n) sends every multiple of 100 (the numbers a sink logs) to one task.
    logs = [get(base + "/topoc/log?component=sink&task=%d&lines=5" % e["task"]) for e in sinkc["executorStats"]]
    check(all(status == 200 and len(log.splitlines()) <= 5 for status, log in logs), "log tails: at most 5 lines")
    check(any(re.search(r"ShellLog INFO task \d+: got \d+00\n", log) for _, log in logs),
          "log tail of a sink task: %r" % [log[-60:] for _, log in logs])
    status, _ = get(base + "/topoc/log?component=sink&task=999")
    check(status == 404, "log of an unknown task: 404")
    return tid


def browser(base, proc):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("SKIP the page in a browser: chromium is not installed "
              "(scripts/install-deps.sh installs Debian's chromium)")
        return False
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--user-data-dir=" + tempfile.mkdtemp(prefix="topoc-ui-chromium-")]
    # Chromium's virtual time waits for open connections: ?events=3 has the
    # page close its event stream after 3 updates, then the DOM is dumped.
    _, first = get_json(base + "/topoc/live")
    dom = subprocess.run(flags + ["--dump-dom", "--virtual-time-budget=3000", base + "/?events=3"],
                         capture_output=True, text=True, timeout=120).stdout
    check("<svg" in dom, "page: the graph is inline SVG")
    for c in ["numbers", "relay", "sink"]:
        check(re.search(r'<g[^>]*class="node"[^>]*data-component="%s"' % c, dom) is not None,
              "page: %s is a node of the graph" % c)
    live = re.findall(r'<text[^>]*class="live[^"]*"[^>]*data-component="([^"]+)"[^>]*>([^<]*)</text>', dom)
    check(any(c == "numbers" and "/s emitted" in t for c, t in live), "page: live figures under the spout")
    check(any(c == "sink" and "cap " in t for c, t in live), "page: capacity under the sink")
    emitted = re.findall(r'<tr data-component="numbers".*?class="emittedRate" data-value="([0-9.e+]+)"', dom)
    check(emitted and float(emitted[0]) > 0, "page: the table shows the spout's rate (%s)" % emitted)
    check(re.search(r'<tr data-component="relay".*?<td class="restarts">[1-9]', dom) is not None,
          "page: the relay's restart shown")
    check('data-events="3"' in dom, "page: 3 updates by the event stream")
    up = re.search(r'data-uptime="([0-9.]+)"', dom)
    check(up is not None and float(up.group(1)) > first["uptimeSeconds"],
          "page: figures newer than before it loaded (%s > %s)" % (up and up.group(1), first["uptimeSeconds"]))
    check("ACTIVE" in dom and '<td class="tasks">2/2</td>' in dom, "page: the run is active, tasks running")
    check("<title>live · topoc run</title>" in dom, "page: titled with the topology")
    return chromium


def main():
    tmp = tempfile.mkdtemp(prefix="topoc-ui-test-")
    try:
        port_in_use(tmp)
        module_missing(tmp)
        project = project_copy(tmp)
        proc = start(project, "--time", "40", "--ui-port", "0")
        base = wait_url(proc)
        print("live view at", base)
        rest(base)
        chromium = browser(base, proc)
        proc.wait(timeout=120)
        check(proc.returncode == 0, "topoc run exit 0 (got %d): %s" % (proc.returncode, stderr_of(proc)[-400:]))
        # A screenshot of the page, for people to look at.
        if chromium:
            project2 = project_copy(os.path.join(tmp, "shot"))
            proc = start(project2, "--time", "25", "--ui-port", "0")
            base = wait_url(proc)
            time.sleep(8)
            if os.path.exists(screenshot):
                os.remove(screenshot)
            # Chromium does not make the folder (a fresh build has none).
            os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            "--user-data-dir=" + tempfile.mkdtemp(prefix="topoc-ui-chromium-"),
                            "--window-size=1280,900", "--screenshot=" + screenshot,
                            "--virtual-time-budget=3000", base + "/?events=3&component=relay"],
                           capture_output=True, timeout=120)
            proc.wait(timeout=120)
            check(os.path.getsize(screenshot) > 10000 if os.path.exists(screenshot) else False,
                  "screenshot written: " + screenshot)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)
    if not chromium:
        sys.exit(77)
    print("all checks passed")


if __name__ == "__main__":
    main()
