from streamparse import Bolt


class WordCounter(Bolt):
    pass
