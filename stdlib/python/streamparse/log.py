"""Logging of Python components, as the streamparse docs describe.

``configure_logging(storm_conf, context)`` is called once after the
handshake. With ``streamparse.log.path`` in the conf it writes to
``<path>/streamparse_<topology>_<component>_<task>_<pid>.log`` through a
``RotatingFileHandler`` (``streamparse.log.max_bytes``, default 1 MB;
``streamparse.log.backup_count``, default 10); without it, records go to
stderr. The level is ``streamparse.log.level`` (critical, error, warning,
info, debug; default info). The handler is put on the root logger, so
``logging.getLogger(__name__)`` in user code lands in the same file.

``LogStream`` is a file-like object that turns writes into log records; the
runtime installs one as ``sys.stdout`` so ``print()`` never reaches the
protocol stream.
"""

import logging
import logging.handlers
import os
import sys

LOG_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_BACKUP_COUNT = 10

LEVELS = {
    "critical": logging.CRITICAL,
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "warn": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}


def component_identity(context):
    """(component id, task id) from a handshake context; works for Storm
    0.10+ contexts (componentid) and 0.9 ones (task->component only)."""
    context = context or {}
    task = context.get("taskid")
    component = context.get("componentid")
    if component is None and task is not None:
        component = (context.get("task->component") or {}).get(str(task))
    return (component if component is not None else "unknown",
            task if task is not None else "unknown")


def log_file_name(storm_conf, context, pid=None):
    component, task = component_identity(context)
    topology = (storm_conf or {}).get("topology.name") or "unknown"
    return "streamparse_%s_%s_%s_%d.log" % (
        topology, component, task, os.getpid() if pid is None else pid)


def _int_setting(conf, key, default):
    value = conf.get(key)
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError("conf %s must be an integer, got %r" % (key, value))


def parse_level(value):
    if value is None:
        return logging.INFO
    level = LEVELS.get(str(value).strip().lower())
    if level is None:
        raise ValueError("conf streamparse.log.level must be one of critical, "
                         "error, warning, info, debug; got %r" % (value,))
    return level


def configure_logging(storm_conf, context, stream=None):
    """Sets up the root logger; returns the handler it installed."""
    conf = storm_conf or {}
    level = parse_level(conf.get("streamparse.log.level"))
    path = conf.get("streamparse.log.path")
    if path:
        os.makedirs(path, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            os.path.join(path, log_file_name(conf, context)),
            maxBytes=_int_setting(conf, "streamparse.log.max_bytes",
                                  DEFAULT_MAX_BYTES),
            backupCount=_int_setting(conf, "streamparse.log.backup_count",
                                     DEFAULT_BACKUP_COUNT))
    else:
        handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


class LogStream(object):
    """A write-only text stream whose complete lines become log records."""

    def __init__(self, logger, level=logging.INFO):
        self.logger = logger
        self.level = level
        self._partial = ""

    def write(self, text):
        if not isinstance(text, str):
            text = str(text)
        written = len(text)
        text = self._partial + text
        lines = text.split("\n")
        self._partial = lines.pop()
        for line in lines:
            if line.strip():
                self.logger.log(self.level, line)
        return written

    def flush(self):
        if self._partial.strip():
            self.logger.log(self.level, self._partial)
        self._partial = ""

    def writable(self):
        return True

    def isatty(self):
        return False

    @property
    def encoding(self):
        return "utf-8"
