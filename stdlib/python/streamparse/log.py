"""Logging of Python components, as the streamparse docs describe.

``configure_logging(storm_conf, context)`` is called once after the
handshake. With ``streamparse.log.path`` in the conf it writes to
``<path>/streamparse_<topology>_<component>_<task>_<pid>.log`` through a
``RotatingFileHandler`` (``streamparse.log.max_bytes``, default 1 MB;
``streamparse.log.backup_count``, default 10); without it, records go to
stderr. The level is ``streamparse.log.level`` (critical, error, warning,
info, debug; default info). The handler is put on the root logger, so
``logging.getLogger(__name__)`` in user code lands in the same file.
pystorm's keys (``pystorm.log.path``, ``.level``, ``.max_bytes``,
``.backup_count``, ``.file``, ``.format``; streamparse 3/4) are read too and
win over the streamparse.log.* key of the same name; ``file`` is a file name
template with {topology_name}, {component_name}, {task_id} and {pid}.

``LogStream`` is a file-like object that turns writes into log records; the
runtime installs one as ``sys.stdout`` so ``print()`` never reaches the
protocol stream. ``StormHandler`` sends records to Storm (multilang ``log``).
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
    "trace": logging.DEBUG,
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


# Each setting is read from pystorm's key when present, else streamparse's:
# topoc itself only sets the streamparse.log.* keys (topoc run, topoc
# submit), so a pystorm.log.* key is always the user's own choice.
_PREFIXES = ("pystorm.log.", "streamparse.log.")

# {placeholders} of a log file name template (the `file` setting).
_FILE_FIELDS = ("topology_name", "component_name", "task_id", "pid")
DEFAULT_FILE = "streamparse_{topology_name}_{component_name}_{task_id}_{pid}.log"


def log_setting(conf, name):
    """(key, value) of log setting ``name`` (path, level, max_bytes,
    backup_count, file, format): pystorm.log.<name> when set, else
    streamparse.log.<name>; (None, None) when neither is."""
    conf = conf or {}
    for prefix in _PREFIXES:
        value = conf.get(prefix + name)
        if value is not None and value != "":
            return prefix + name, value
    return None, None


def log_file_name(storm_conf, context, pid=None, template=None):
    """The log file's name: ``template`` (or the conf's file setting, else
    streamparse_<topology>_<component>_<task>_<pid>.log) with
    {topology_name}, {component_name}, {task_id} and {pid} filled in."""
    component, task = component_identity(context)
    topology = (storm_conf or {}).get("topology.name") or "unknown"
    key = "the log file name"
    if template is None:
        key, template = log_setting(storm_conf, "file")
        if template is None:
            key, template = "the log file name", DEFAULT_FILE
    values = {"topology_name": topology, "component_name": component,
              "task_id": task, "pid": os.getpid() if pid is None else pid}
    try:
        return str(template).format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError("conf %s %r is not a valid template (%s): use "
                         "{topology_name}, {component_name}, {task_id} and "
                         "{pid}" % (key, template, exc))


def _int_setting(conf, name, default):
    key, value = log_setting(conf, name)
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError("conf %s must be an integer, got %r" % (key, value))


def parse_level(value, key="streamparse.log.level"):
    if value is None:
        return logging.INFO
    level = LEVELS.get(str(value).strip().lower())
    if level is None:
        raise ValueError("conf %s must be one of critical, error, warning, "
                         "info, debug; got %r" % (key, value))
    return level


def configure_logging(storm_conf, context, stream=None):
    """Sets up the root logger; returns the handler it installed."""
    conf = storm_conf or {}
    key, value = log_setting(conf, "level")
    level = parse_level(value, key or "streamparse.log.level")
    _, path = log_setting(conf, "path")
    if path:
        name = log_file_name(conf, context)
        os.makedirs(path, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            os.path.join(path, name),
            maxBytes=_int_setting(conf, "max_bytes", DEFAULT_MAX_BYTES),
            backupCount=_int_setting(conf, "backup_count",
                                     DEFAULT_BACKUP_COUNT))
    else:
        handler = logging.StreamHandler(stream or sys.stderr)
    key, fmt = log_setting(conf, "format")
    try:
        formatter = logging.Formatter(fmt or LOG_FORMAT)
    except (ValueError, TypeError) as exc:
        handler.close()
        raise ValueError("conf %s %r is not a logging format: %s"
                         % (key, fmt, exc))
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def storm_level(levelno):
    """The multilang log level (0 trace .. 4 error) of a Python level."""
    if levelno >= logging.ERROR:
        return 4
    if levelno >= logging.WARNING:
        return 3
    if levelno >= logging.INFO:
        return 2
    if levelno >= logging.DEBUG:
        return 1
    return 0


class StormHandler(logging.Handler):
    """A logging handler that sends each record to Storm with the multilang
    ``log`` command, at the matching level; Storm writes it to the worker's
    log (``topoc run``: logs/topoc_<topology>_<component>_<task>.log).

    ``target`` is the component to send through (its send_message() is
    thread-safe); pystorm's form ``StormHandler(self.serializer)``, or no
    argument, sends through the component this process runs. Records logged
    before the handshake, or with no component, go to stderr instead.

        logging.getLogger().addHandler(StormHandler(self))
    """

    def __init__(self, target=None, level=logging.NOTSET):
        logging.Handler.__init__(self, level)
        self.target = target

    def _component(self):
        target = self.target
        if target is not None and hasattr(target, "send_message"):
            return target
        from .base import current_component
        return current_component()

    def emit(self, record):
        try:
            msg = self.format(record)
            component = self._component()
            if component is None or getattr(component, "serializer",
                                            None) is None:
                sys.stderr.write(msg + "\n")
                return
            component.send_message({"command": "log", "msg": msg,
                                    "level": storm_level(record.levelno)})
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)


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
