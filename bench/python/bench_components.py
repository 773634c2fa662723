"""Bolts measured by bench_runtime.py."""

from streamparse.bolt import Bolt


class AckBolt(Bolt):
    """Reads the tuple and acks it (auto_ack): the runtime's floor."""

    def process(self, tup):
        pass


class EmitBolt(Bolt):
    """Emits one anchored tuple per input and waits for its task ids (the
    default), then acks: the common bolt."""

    def process(self, tup):
        self.emit([tup.values[0].upper(), tup.values[1] + 1])


class EmitNoIdsBolt(Bolt):
    """Like EmitBolt with need_task_ids=False (no reply to wait for)."""

    def process(self, tup):
        self.emit([tup.values[0].upper(), tup.values[1] + 1],
                  need_task_ids=False)
