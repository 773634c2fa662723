#!/usr/bin/env perl
# sentence-spout-2 of the sentences topology: a spout in Perl that speaks
# Storm's multilang protocol directly (no library beyond core Perl's JSON::PP).
#
# Protocol (storm-facts §2): every message is one JSON value followed by a line
# "end". Storm sends the handshake {"conf", "pidDir", "context"}; we create the
# empty file <pidDir>/<pid> and answer {"pid": N}. Then Storm sends commands
# next / ack / fail / activate / deactivate, and each one is answered by zero
# or more messages of ours (emits, logs) ended by {"command": "sync"}.
#
# Emits are reliable: each carries a message id; a failed id is replayed on a
# later "next", an acked one is forgotten. At most $MAX_IN_FLIGHT sentences
# are unacknowledged at a time (a "next" beyond that emits nothing), so the
# spout cannot flood slower bolts. One sentence in the list has no words at
# all, so the splitter's "errors" stream has something to report.
use strict;
use warnings;
use JSON::PP;

my @SENTENCES = (
    "The quick brown fox jumps over the lazy dog",
    "Storm speaks multilang so a spout can be written in any language",
    "!?",
    "Perl was here before most of the others",
);

my $MAX_IN_FLIGHT = 100;
my $json = JSON::PP->new->utf8->canonical;
$| = 1;
binmode STDIN;
binmode STDOUT;

# Reads one message; returns undef at end of input.
sub read_message {
    my @lines;
    while (defined(my $line = <STDIN>)) {
        $line =~ s/\r?\n\z//;
        return $json->decode(join("\n", @lines)) if $line eq "end";
        push @lines, $line;
    }
    return undef;
}

sub send_message {
    my ($msg) = @_;
    print STDOUT $json->encode($msg), "\nend\n";
}

sub sync { send_message({ command => "sync" }); }

my $handshake = read_message();
exit 0 unless defined $handshake;
my $pid_dir = ref($handshake) eq "HASH" ? $handshake->{pidDir} : undef;
if (defined $pid_dir && length $pid_dir) {
    my $pid_file = "$pid_dir/$$";
    open(my $fh, ">", $pid_file) or die "cannot create pid file $pid_file: $!\n";
    close($fh);
}
send_message({ pid => $$ + 0 });

my $next_index = 0;   # next sentence of @SENTENCES to emit
my $next_id = 1;      # next message id
my %pending;          # message id -> sentence, until acked
my @replay;           # failed message ids, emitted again first

while (defined(my $msg = read_message())) {
    # A task-id list (the answer to an emit) needs no reply; we ask for none,
    # but a runtime that sends them anyway must not confuse us.
    next if ref($msg) eq "ARRAY";
    my $command = ref($msg) eq "HASH" ? ($msg->{command} // "") : "";
    if ($command eq "next") {
        my ($id, $sentence);
        if (@replay) {
            $id = shift @replay;
            $sentence = $pending{$id};
        } elsif (keys(%pending) >= $MAX_IN_FLIGHT) {
            sync();    # enough in flight: emit nothing this time
            next;
        } else {
            $id = $next_id++;
            $sentence = $SENTENCES[$next_index];
            $next_index = ($next_index + 1) % @SENTENCES;
            $pending{$id} = $sentence;
        }
        send_message({ command => "emit", id => "$id", tuple => [$sentence],
                       need_task_ids => JSON::PP::false });
    } elsif ($command eq "ack") {
        delete $pending{ $msg->{id} // "" };
    } elsif ($command eq "fail") {
        my $id = $msg->{id} // "";
        if (exists $pending{$id}) {
            push @replay, $id;
            send_message({ command => "log", level => 1, msg => "replaying sentence $id" });
        }
    } elsif ($command eq "activate" || $command eq "deactivate") {
        # Nothing to start or stop: the sentences are in memory.
    } else {
        send_message({ command => "log", level => 3,
                       msg => "other_sentence_spout.pl: unknown command '$command'" });
    }
    sync();
}
exit 0;
