"""`topoc build` never leaves a half-written output (docs/build.md).

Usage: atomic_output_test.py TOPOC SOURCE_DIR

A build of examples/wordcount with --target all is made to fail part-way
through its writes, two ways:
  * an injected write failure: the build runs with RLIMIT_FSIZE set just
    above the size of its smaller outputs (SIGXFSZ ignored, so an
    over-limit write fails with EFBIG like a full disk would);
  * a real full disk: a 48 kB tmpfs (only when running as root; else
    skipped with a message).
Each time: exit code 2, a "cannot write" message, and the output folder
exactly as it was before the build: no file created (no temporary file
either), every existing file byte-for-byte and folder-for-folder as
before. A build into a fresh folder leaves no folder behind. Then, with
the limit lifted, the same build succeeds and writes everything.
"""
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

TOPOC = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
PROJECT = os.path.join(SRC, "examples", "wordcount")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def snapshot(root):
    """Every file and folder under root -> its bytes (None for folders)."""
    out = {}
    if not os.path.exists(root):
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), root) + "/"] = None
        for f in filenames:
            with open(os.path.join(dirpath, f), "rb") as fh:
                out[os.path.relpath(os.path.join(dirpath, f), root)] = fh.read()
    return out


def build(out, fsize_limit=None):
    def limit():
        if fsize_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # inherited across exec
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_limit, fsize_limit))
    return subprocess.run([TOPOC, "build", PROJECT, "--target", "all", "--out", out],
                          capture_output=True, text=True, preexec_fn=limit)


def failing_build(label, out, fsize_limit=None):
    before = snapshot(out)
    r = build(out, fsize_limit)
    check(r.returncode == 2, "%s: exit %d, expected 2\n%s" % (label, r.returncode, r.stderr))
    check("cannot write" in r.stderr or "cannot create" in r.stderr,
          "%s: no 'cannot write' message: %s" % (label, r.stderr))
    after = snapshot(out)
    created = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in before if k in after and before[k] != after[k])
    check(not created, "%s: files left behind: %s" % (label, created[:10]))
    check(not removed, "%s: files removed: %s" % (label, removed[:10]))
    check(not changed, "%s: files changed: %s" % (label, changed[:10]))


with tempfile.TemporaryDirectory() as tmp:
    # A complete build to learn the outputs' sizes.
    full = os.path.join(tmp, "full")
    r = build(full)
    check(r.returncode == 0, "reference build failed: %s" % r.stderr)
    sizes = sorted(len(v) for v in snapshot(full).values() if v is not None)
    check(len(sizes) > 10, "reference build wrote only %d files" % len(sizes))
    # Small enough that the bigger files fail, big enough that some succeed.
    limit = sizes[len(sizes) // 2]

    # 1. Injected failure into a fresh folder: nothing at all remains.
    fresh = os.path.join(tmp, "fresh", "deep", "out")
    failing_build("fresh folder", fresh, limit)
    check(not os.path.exists(os.path.join(tmp, "fresh")), "fresh folder: folders left behind")

    # 2. Injected failure over an older build: the old files stay as they
    # were. Make the old build differ from the new one in every file.
    old = os.path.join(tmp, "old")
    shutil.copytree(full, old)
    for dirpath, _, filenames in os.walk(old):
        for f in filenames:
            with open(os.path.join(dirpath, f), "ab") as fh:
                fh.write(b"\n# older build\n")
    failing_build("over an older build", old, limit)

    # 3. The limit lifted: the build completes, over the older build too.
    r = build(old)
    check(r.returncode == 0, "unlimited build over the older build failed: %s" % r.stderr)
    check(snapshot(old) == snapshot(full), "build after a failure differs from a clean build")

    # 4. A real full disk.
    if os.geteuid() != 0:
        print("SKIP full-disk case: needs root to mount a tmpfs")
    else:
        mnt = os.path.join(tmp, "tmpfs")
        os.mkdir(mnt)
        m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", mnt],
                           capture_output=True, text=True)
        if m.returncode != 0:
            print("SKIP full-disk case: cannot mount a tmpfs: %s" % m.stderr.strip())
        else:
            try:
                total = sum(sizes)
                check(total > 48 * 1024, "outputs (%d bytes) fit the tmpfs; test cannot fail" % total)
                failing_build("full tmpfs, fresh", os.path.join(mnt, "out"))
                check(os.listdir(mnt) == [], "full tmpfs: left %s" % os.listdir(mnt))
            finally:
                subprocess.run(["umount", mnt])

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
