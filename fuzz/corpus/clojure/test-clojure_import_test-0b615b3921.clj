// Imported by `topoc import` from demo.clj.
topology demo {
    config {
        topology.workers: 3
        topology.debug: true
        my.map: { "a": [1, 2.5, null] }
    }

    spout events = shell ["node", "events.js"] {
        output (id, user)
        output audit (id)
        output direct ctl (cmd)
        parallelism 2
        tasks 4
        config { topology.max.spout.pending: 10 }
    }
    spout legacy = shell ["ruby", "legacy.rb"] {
        output (user)
        parallelism 3
    }
    spout kafka = java "org.example.kafka.KafkaSpout" (-5, 1099511627776L, 0.25, "t", true) {
        output (user)
    }

    bolt a = python "bolts.A" {
        input events shuffle
        input legacy local-or-shuffle
        output ()
    }
    bolt b = python "bolts.B" {
        input events.audit all
        input kafka fields(user)
    }
    bolt c = shell ["sh", "c.sh"] {
        input events.audit global
        input events global
    }
    bolt d = shell ["x"] {
        input events.ctl direct
        input legacy none
        input kafka none
        parallelism 2
    }
    bolt e = java "org.example.SinkBolt" ("jdbc:x", 7L, 2.0) {
        input events custom "org.example.Sticky" (3, "z", -1L, 1.5, false)
        input legacy partial-key(user)
    }
}
