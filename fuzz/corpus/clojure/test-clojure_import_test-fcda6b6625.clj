// Imported by `topoc import` from topologies/wordcount.clj.
topology wordcount {
    spout word-spout = python "spouts.words.WordSpout" {
        output (word)
    }

    bolt count-bolt = python "bolts.wordcount.WordCounter" {
        input word-spout shuffle
        output (word, count)
        parallelism 2
    }
}
