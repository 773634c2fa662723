#!/usr/bin/perl
# A multilang bolt in Perl (JSON::PP): counts words, appends
# "<task> <word>" per tuple to the file given as the first argument, acks.
use strict;
use warnings;
use JSON::PP;
use IO::Handle;

my $out = shift @ARGV;
my $json = JSON::PP->new->canonical;
STDOUT->autoflush(1);

sub read_msg {
  my @lines;
  while (my $line = <STDIN>) {
    chomp $line;
    return $json->decode(join("\n", @lines)) if $line eq 'end';
    push @lines, $line;
  }
  exit 0;
}
sub send_msg { print $json->encode($_[0]) . "\nend\n"; }

my $hs = read_msg();
if (open(my $pf, ">", "$hs->{pidDir}/$$")) { close($pf); }
send_msg({pid => $$ + 0});
my $task = $hs->{context}{taskid};
open(my $fh, '>>', $out) or die "cannot open $out: $!";
$fh->autoflush(1);
while (1) {
  my $m = read_msg();
  next if ref($m) eq 'ARRAY';
  if ($m->{stream} eq '__heartbeat') { send_msg({command => 'sync'}); next; }
  print $fh "$task $m->{tuple}[0]\n";
  send_msg({command => 'ack', id => $m->{id}});
}
