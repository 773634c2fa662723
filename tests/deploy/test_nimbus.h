// A Nimbus for tests: the project's storm.thrift served by Apache Thrift's
// TThreadedServer (framed transport, binary protocol) on 127.0.0.1 and a
// free port. It keeps topologies in memory like Nimbus does (submit, kill,
// activate, deactivate, rebalance, getClusterInfo with supervisors,
// getTopologyInfo / getTopologyInfoByName with the executors a test gives),
// records every call and upload, and can be told to misbehave per method.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "thrift/gen-cpp/Nimbus.h"

namespace apache::thrift::server {
class TThreadedServer;
}

namespace topoc::deploy::testing {

enum class Fault {
  kNone,
  kAlreadyAlive,      // throw AlreadyAliveException("<fault message>")
  kNotAlive,
  kInvalidTopology,
  kAuthorization,
  kCloseConnection,   // shut the socket down instead of answering
  kSlow,              // answer only after slow_ms
  kNoSuchMethod,      // answer like a Nimbus without the method (TApplicationException)
};

struct SubmittedTopology {
  std::string name;
  std::string jar_location;
  std::string json_conf;
  topoc::storm::StormTopology topology;
  topoc::storm::TopologyInitialStatus::type initial_status;
};

class TestNimbus {
 public:
  TestNimbus();
  ~TestNimbus();

  // Binds 127.0.0.1:0 and serves in a background thread. False on failure.
  bool Start();
  void Stop();
  int port() const { return port_; }

  // `method` misbehaves from now on (after `skip` successful calls).
  void SetFault(const std::string& method, Fault fault, int skip = 0);
  void ClearFaults();
  void set_slow_ms(int ms);
  // A killed topology stays listed (status KILLED) this long.
  void set_kill_linger_ms(int ms);
  // Adds a running topology directly (as if submitted earlier).
  void AddTopology(const std::string& name, const std::string& status = "ACTIVE", int workers = 1,
                   int executors = 3, int tasks = 3, int uptime_secs = 42);

  // A supervisor getClusterInfo lists.
  void AddSupervisor(const std::string& host, int slots, int used_slots, int uptime_secs);
  // The executors getTopologyInfo(ByName) reports for a topology (the
  // topology's errors map stays empty).
  void SetExecutors(const std::string& name, std::vector<topoc::storm::ExecutorSummary> executors);

  // Snapshots (thread-safe copies).
  std::vector<std::string> calls() const;                    // method names in order
  std::map<std::string, std::string> finished_uploads() const;  // location -> bytes
  std::vector<SubmittedTopology> submitted() const;
  std::vector<topoc::storm::TopologySummary> topologies() const;
  std::optional<topoc::storm::KillOptions> last_kill_options() const;
  std::optional<topoc::storm::RebalanceOptions> last_rebalance_options() const;

  struct State;  // shared with the handlers

 private:
  std::shared_ptr<State> state_;
  std::shared_ptr<apache::thrift::server::TThreadedServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace topoc::deploy::testing
