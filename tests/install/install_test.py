#!/usr/bin/python3
"""Installing topoc, end to end:

  * `cmake --install BUILD --prefix TMP` lays out bin/topoc, the stdlib and
    streamparse runtime under share/topoc/, the man page, the bash completion;
  * the installed topoc, run from a folder outside the source tree with no
    TOPOC_* variables, finds its runtime in the prefix (topoc doctor says
    "installed") and takes a quickstart project through check, test and a
    3-second run;
  * the man page renders without warnings and documents every subcommand and
    option `topoc CMD --help` lists; the completion script completes
    subcommands, options and option values;
  * `cpack -G DEB` makes a package that declares its Depends and holds the
    same files.

Usage: install_test.py BUILD_DIR
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

BUILD = os.path.abspath(sys.argv[1])
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(argv, **kw):
    kw.setdefault("timeout", 180)
    p = subprocess.run(argv, capture_output=True, text=True, **kw)
    return p.returncode, p.stdout, p.stderr


def clean_env(prefix):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOPOC_") and k != "PYTHONPATH"}
    env["PATH"] = os.path.join(prefix, "bin") + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    return env


def subcommands(topoc, env):
    rc, out, _ = run([topoc, "--help"], env=env)
    section = out[out.index("Subcommands:"):]
    return re.findall(r"^  ([a-z][a-z-]*)", section, re.M)


def installed_layout(prefix):
    expected = [
        "bin/topoc",
        "lib/topoc/topoc-ui.so",
        "share/topoc/stdlib/topo/python.topo",
        "share/topoc/stdlib/python/streamparse/__init__.py",
        "share/topoc/stdlib/python/streamparse/bolt.py",
        "share/topoc/stdlib/python/streamparse/testing.py",
        "share/man/man1/topoc.1",
        "share/bash-completion/completions/topoc",
        "share/doc/topoc/README.md",
        "share/doc/topoc/docs/testing.md",
    ]
    for rel in expected:
        check(os.path.isfile(os.path.join(prefix, rel)), "installed %s" % rel)
    check(not glob.glob(os.path.join(prefix, "share/topoc/stdlib/python/tests")),
          "the runtime's own tests are not installed")
    check(not glob.glob(os.path.join(prefix, "share/topoc/**/__pycache__"), recursive=True),
          "no __pycache__ installed")


def installed_runs(prefix, work):
    env = clean_env(prefix)
    topoc = os.path.join(prefix, "bin", "topoc")
    rc, out, err = run(["topoc", "--version"], env=env, cwd=work)
    check(rc == 0 and out.startswith("topoc "), "topoc on the PATH (rc=%d): %s" % (rc, err))
    rc, out, err = run(["topoc", "quickstart", "demo"], env=env, cwd=work)
    check(rc == 0, "quickstart (rc=%d): %s" % (rc, err))
    proj = os.path.join(work, "demo")
    rc, out, err = run(["topoc", "doctor", "--format", "json"], env=env, cwd=proj)
    import json
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
        check(False, "doctor --format json prints JSON: %r %r" % (out, err))
    share = os.path.join(prefix, "share", "topoc", "stdlib")
    check(doc.get("python_runtime", "").startswith(share), "runtime from the prefix: %s" % doc.get("python_runtime"))
    check(doc.get("stdlib", "").startswith(share), "stdlib from the prefix: %s" % doc.get("stdlib"))
    check(doc.get("binary") == os.path.realpath(topoc), "doctor names the installed binary: %s" % doc.get("binary"))
    details = {c["check"]: c for c in doc.get("checks", [])}
    rt = details.get("python runtime folder", {})
    check("(installed)" in rt.get("detail", ""), "doctor says the runtime is installed: %s" % rt)
    sp = details.get("import streamparse", {})
    check(sp.get("ok") and sp.get("detail", "").startswith(share), "python imports the installed streamparse: %s" % sp)

    rc, out, err = run(["topoc", "check"], env=env, cwd=proj)
    check(rc == 0, "check (rc=%d): %s%s" % (rc, out, err))
    rc, out, err = run(["topoc", "test", "--python", "/usr/bin/python3", "--runner", "unittest"], env=env, cwd=proj)
    check(rc == 0 and "Ran 2 tests" in out + err, "test (rc=%d): %s%s" % (rc, out, err))
    rc, out, err = run(["topoc", "run", "--time", "3"], env=env, cwd=proj)
    check(rc == 0, "run --time 3 (rc=%d): %s%s" % (rc, out, err))
    m = re.search(r"^count-bolt\s+bolt\s+2\s+(\d+)\s+(\d+)\s+(\d+)", out, re.M)
    check(m and int(m.group(3)) > 0, "the bolt acked tuples: %s" % out)
    logs = glob.glob(os.path.join(proj, "logs", "streamparse_demo_count-bolt_*.log"))
    check(len(logs) == 2 and all("started WordCounter" in open(l).read() for l in logs),
          "the bolts' runtime started and logged: %s" % logs)
    rc, out, err = run(["topoc", "run", "--time", "2", "--ui-port", "0"], env=env, cwd=proj)
    check(rc == 0 and re.search(r"live view at http://127\.0\.0\.1:\d+/", err),
          "run --ui finds the installed live view module (rc=%d): %s" % (rc, err))


def man_page(prefix, env):
    topoc = os.path.join(prefix, "bin", "topoc")
    page = os.path.join(prefix, "share", "man", "man1", "topoc.1")
    rc, out, err = run(["man", "--warnings", "-l", page], env=dict(env, MANWIDTH="100", MAN_KEEP_FORMATTING="0"))
    check(rc == 0 and not err.strip(), "man renders topoc.1 without warnings (rc=%d): %s" % (rc, err))
    text = re.sub(r".\x08", "", out)
    names = subcommands(topoc, env)
    check(len(names) >= 15, "topoc --help lists the subcommands: %s" % names)
    for name in names:
        check(("topoc %s" % name) in text, "the man page documents topoc %s" % name)
        rc, help_out, _ = run([topoc, name, "--help"], env=env)
        for opt in re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z-]*)", help_out, re.M):
            if opt == "--help":
                continue
            check(opt in text, "the man page documents topoc %s %s" % (name, opt))


def completion(prefix, env):
    script = os.path.join(prefix, "share", "bash-completion", "completions", "topoc")
    rc, _, err = run(["bash", "-n", script])
    check(rc == 0, "completion script parses: %s" % err)

    def complete(*words):
        line = " ".join(words)
        prog = ('source %s; COMP_WORDS=(%s); COMP_CWORD=%d; _topoc; printf "%%s\\n" "${COMPREPLY[@]}"'
                % (script, line, len(words) - 1))
        rc, out, err = run(["bash", "-c", prog], env=env, cwd=tempfile.gettempdir())
        return sorted(out.split())

    check("test" in complete("topoc", "te") and "doctor" in complete("topoc", "do"),
          "completes subcommands: %s" % complete("topoc", "te"))
    check(complete("topoc", "test", "--ru") == ["--runner"], "completes options: %s" % complete("topoc", "test", "--ru"))
    check(complete("topoc", "test", "--runner", "''") == ["auto", "pytest", "unittest"],
          "completes option values: %s" % complete("topoc", "test", "--runner", "''"))
    check(complete("topoc", "vis") == ["visualize"] and "--format" in complete("topoc", "visualize", "--"),
          "completes an alias and its options: %s" % complete("topoc", "visualize", "--"))
    check(complete("topoc", "build", "--target", "c") == ["clojure"],
          "completes build targets: %s" % complete("topoc", "build", "--target", "c"))


def package(tmp):
    pkgdir = os.path.join(tmp, "pkg")
    rc, out, err = run(["cpack", "-G", "DEB", "-B", pkgdir, "--config", os.path.join(BUILD, "CPackConfig.cmake")],
                       cwd=BUILD, timeout=300)
    check(rc == 0, "cpack -G DEB (rc=%d): %s%s" % (rc, out, err))
    debs = glob.glob(os.path.join(pkgdir, "*.deb"))
    check(len(debs) == 1, "one .deb made: %s" % debs)
    if not debs:
        return
    rc, depends, _ = run(["dpkg-deb", "-f", debs[0], "Depends"])
    check("python3" in depends and "libc6" in depends, "the package declares its Depends: %s" % depends)
    check("libcpp-httplib" in depends, "the live view's module brings its library: %s" % depends)
    rc, recommends, _ = run(["dpkg-deb", "-f", debs[0], "Recommends"])
    check("graphviz" in recommends and "openssh-client" in recommends, "Recommends: %s" % recommends)
    rc, listing, _ = run(["dpkg-deb", "-c", debs[0]])
    for rel in ["./usr/bin/topoc", "./usr/lib/topoc/topoc-ui.so", "./usr/share/topoc/stdlib/python/streamparse/testing.py",
                "./usr/share/topoc/stdlib/topo/python.topo", "./usr/share/man/man1/topoc.1",
                "./usr/share/bash-completion/completions/topoc"]:
        check(re.search(r"\s%s$" % re.escape(rel), listing, re.M), "the package holds %s" % rel)
    print(listing)


def main():
    with tempfile.TemporaryDirectory(prefix="topoc-install-") as tmp:
        prefix = os.path.join(tmp, "prefix")
        rc, out, err = run(["cmake", "--install", BUILD, "--prefix", prefix])
        check(rc == 0, "cmake --install (rc=%d): %s%s" % (rc, out, err))
        installed_layout(prefix)
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        installed_runs(prefix, work)
        man_page(prefix, clean_env(prefix))
        completion(prefix, clean_env(prefix))
        package(tmp)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("install: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
