#include "runtime/spout_driver.h"

#include <doctest/doctest.h>

#include "runtime/multilang.h"

namespace topoc::runtime {

TEST_CASE("spout driver: one command at a time, each waiting for its sync") {
  SpoutDriver d;
  std::string out;
  CHECK(!d.Pump(0, false, false, 0, &out));  // not running yet
  d.Activate(0, &out);
  CHECK(out == "{\"command\":\"activate\",\"id\":\"\"}\nend\n");
  CHECK(d.waiting_sync());
  out.clear();
  CHECK(!d.Pump(1, true, false, 0, &out));  // still waiting
  CHECK(d.OnSync(1));
  CHECK(!d.OnSync(1));  // a stray sync
  CHECK(d.Pump(1, true, false, 0, &out));
  CHECK(out == "{\"command\":\"next\",\"id\":\"\"}\nend\n");
  CHECK(d.OnEmit());
  CHECK(d.OnSync(1.5));
  // Queued acks and fails go before the next `next`.
  d.Queue(SpoutDriver::Command::kFail, "\"x\"");
  d.Queue(SpoutDriver::Command::kAck, "7");
  out.clear();
  CHECK(d.Pump(2, true, false, 0, &out));
  CHECK(out == "{\"command\":\"fail\",\"id\":\"x\"}\nend\n");
  CHECK(d.busy());
  d.OnSync(2);
  out.clear();
  CHECK(d.Pump(2, true, false, 0, &out));
  CHECK(out == "{\"command\":\"ack\",\"id\":7}\nend\n");
  d.OnSync(2);
  CHECK(!d.busy());
  CHECK(!d.OnEmit());  // outside a command: a protocol error for the caller
}

TEST_CASE("spout driver: an empty next backs off 1 ms; a productive one does not") {
  SpoutDriver d;
  std::string out;
  d.Activate(0, &out);
  d.OnSync(0);
  CHECK(d.Pump(10, true, false, 0, &out));
  d.OnSync(10);  // nothing emitted
  CHECK(d.next_at() == doctest::Approx(10.001));
  out.clear();
  CHECK(!d.Pump(10.0005, true, false, 0, &out));
  CHECK(d.Pump(10.002, true, false, 0, &out));
  d.OnEmit();
  d.OnSync(10.002);
  CHECK(d.Pump(10.002, true, false, 0, &out));
}

TEST_CASE("spout driver: max pending, back-pressure, stopping and deactivation hold `next` back") {
  SpoutDriver d(2);
  std::string out;
  d.Activate(0, &out);
  d.OnSync(0);
  CHECK(d.MayAskNext(true, false, 0));
  d.TreeStarted();
  d.TreeStarted();
  CHECK(d.pending() == 2);
  CHECK(!d.MayAskNext(true, false, 0));
  d.TreeDone();
  CHECK(d.MayAskNext(true, false, 0));
  CHECK(!d.MayAskNext(true, false, kBackPressureBytes + 1));
  CHECK(!d.MayAskNext(true, true, 0));
  CHECK(!d.MayAskNext(false, false, 0));
  d.Queue(SpoutDriver::Command::kDeactivate, "");
  out.clear();
  CHECK(d.Pump(1, true, false, 0, &out));
  CHECK(out == "{\"command\":\"deactivate\",\"id\":\"\"}\nend\n");
  CHECK(!d.active());
  d.OnSync(1);
  CHECK(!d.MayAskNext(true, false, 0));
  d.Restart();
  CHECK(!d.waiting_sync());
}

}  // namespace topoc::runtime

namespace topoc::runtime {

TEST_CASE("spout driver: sync says which command it ends; a death drops queued and in-flight acks/fails") {
  SpoutDriver d(5);
  std::string out;
  d.Activate(0, &out);
  SpoutDriver::Sent done = SpoutDriver::Sent::kNone;
  CHECK(d.OnSync(0, &done));
  CHECK(done == SpoutDriver::Sent::kActivate);
  d.Queue(SpoutDriver::Command::kAck, "1");
  d.Queue(SpoutDriver::Command::kFail, "2");
  d.Queue(SpoutDriver::Command::kAck, "3");
  CHECK(d.Pump(1, true, false, 0, &out));  // ack 1 in flight
  d.OnSync(1, &done);
  CHECK(done == SpoutDriver::Sent::kAck);
  CHECK(d.Pump(1, true, false, 0, &out));  // fail 2 in flight
  d.TreeStarted();
  d.TreeStarted();
  // The process dies now: fail 2 (in flight) and ack 3 (queued) are lost.
  CHECK(d.Drop() == 2);
  CHECK(d.pending() == 0);
  CHECK(!d.busy());
  CHECK(!d.active());
  CHECK(d.Drop() == 0);
  // Its successor starts clean: activate, then next.
  out.clear();
  d.Restart();
  d.Activate(2, &out);
  d.OnSync(2, &done);
  out.clear();
  CHECK(d.Pump(2, true, false, 0, &out));
  CHECK(out == "{\"command\":\"next\",\"id\":\"\"}\nend\n");
  d.OnSync(2, &done);
  CHECK(done == SpoutDriver::Sent::kNext);
}

TEST_CASE("spout driver: a MessagePack task gets the bytes of its JSON commands transcoded") {
  SpoutDriver json, mp;
  mp.set_msgpack(true);
  std::string jout, mout;
  json.Activate(0, &jout);
  mp.Activate(0, &mout);
  for (std::string_view id : {"\"x\"", "7", "[1,2]"}) {
    json.Queue(SpoutDriver::Command::kAck, id);
    mp.Queue(SpoutDriver::Command::kAck, id);
  }
  json.Queue(SpoutDriver::Command::kFail, "\"y\"");
  mp.Queue(SpoutDriver::Command::kFail, "\"y\"");
  for (int i = 0; i < 5; ++i) {
    json.OnSync(1);
    mp.OnSync(1);
    CHECK(json.Pump(1, true, false, 0, &jout));
    CHECK(mp.Pump(1, true, false, 0, &mout));
  }
  CHECK(jout.find("\"command\":\"next\"") != std::string::npos);
  std::string transcoded;
  REQUIRE(JsonMessagesToMsgpack(jout, &transcoded) == jout.size());
  CHECK(mout == transcoded);
  CHECK_FALSE(mp.TakeEncodeFailure());
  // An id that is not JSON: nothing appended, the failure reported once.
  mp.Queue(SpoutDriver::Command::kAck, "{bad");
  mp.OnSync(2);
  std::string more;
  CHECK(mp.Pump(2, true, false, 0, &more));
  CHECK(more.empty());
  CHECK(mp.TakeEncodeFailure());
  CHECK_FALSE(mp.TakeEncodeFailure());
}

}  // namespace topoc::runtime
