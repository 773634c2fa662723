from streamparse import Spout


class WordSpout(Spout):
    outputs = ["word"]
