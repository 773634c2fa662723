#include "tests/deploy/test_nimbus.h"

#include <algorithm>

#include <sys/socket.h>

#include <thrift/TProcessor.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TServer.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TServerSocket.h>
#include <thrift/transport/TSocket.h>

namespace topoc::deploy::testing {

using namespace topoc::storm;
using apache::thrift::TConnectionInfo;
using apache::thrift::protocol::TBinaryProtocolFactory;
using apache::thrift::server::TServerEventHandler;
using apache::thrift::server::TThreadedServer;
using apache::thrift::transport::TFramedTransportFactory;
using apache::thrift::transport::TServerSocket;
using apache::thrift::transport::TSocket;

struct FaultRule {
  Fault fault = Fault::kNone;
  int skip = 0;
};

struct Killed {
  std::chrono::steady_clock::time_point gone_at;
};

struct TestNimbus::State {
  mutable std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  bool listening = false;
  std::map<std::string, FaultRule> faults;
  int slow_ms = 3000;
  int kill_linger_ms = 0;
  int upload_counter = 0;
  int id_counter = 0;
  std::vector<std::string> calls;
  std::map<std::string, std::string> uploads;  // in progress
  std::map<std::string, std::string> finished;
  std::vector<SubmittedTopology> submitted;
  std::map<std::string, TopologySummary> alive;  // by name
  std::map<std::string, Killed> killed;
  std::optional<KillOptions> last_kill;
  std::optional<RebalanceOptions> last_rebalance;
  std::vector<SupervisorSummary> supervisors;
  std::map<std::string, std::vector<ExecutorSummary>> executors;  // by topology name

  TopologyInfo Info(const TopologySummary& t) {
    TopologyInfo info;
    info.id = t.id;
    info.name = t.name;
    info.uptime_secs = t.uptime_secs;
    info.status = t.status;
    auto it = executors.find(t.name);
    if (it != executors.end()) info.executors = it->second;
    return info;
  }

  void Purge() {
    auto now = std::chrono::steady_clock::now();
    for (auto it = killed.begin(); it != killed.end();) {
      if (now >= it->second.gone_at) {
        alive.erase(it->first);
        it = killed.erase(it);
      } else {
        ++it;
      }
    }
  }
};

namespace {

class TestHandler : public NimbusIf {
 public:
  TestHandler(std::shared_ptr<TestNimbus::State> s, std::shared_ptr<TSocket> socket)
      : s_(std::move(s)), socket_(std::move(socket)) {}

  void submitTopology(const std::string& name, const std::string& loc, const std::string& conf,
                      const StormTopology& t) override {
    SubmitOptions o;
    o.initial_status = TopologyInitialStatus::ACTIVE;
    Submit("submitTopology", name, loc, conf, t, o);
  }
  void submitTopologyWithOpts(const std::string& name, const std::string& loc, const std::string& conf,
                              const StormTopology& t, const SubmitOptions& o) override {
    Submit("submitTopologyWithOpts", name, loc, conf, t, o);
  }
  void killTopology(const std::string& name) override { Kill("killTopology", name, KillOptions()); }
  void killTopologyWithOpts(const std::string& name, const KillOptions& o) override { Kill("killTopologyWithOpts", name, o); }
  void activate(const std::string& name) override { SetStatus("activate", name, "ACTIVE"); }
  void deactivate(const std::string& name) override { SetStatus("deactivate", name, "INACTIVE"); }
  void rebalance(const std::string& name, const RebalanceOptions& o) override {
    std::unique_lock<std::mutex> lock = Enter("rebalance");
    auto it = s_->alive.find(name);
    if (it == s_->alive.end() || s_->killed.count(name)) Throw<NotAliveException>(name + " is not alive");
    if (o.__isset.num_workers && o.num_workers < 1) Throw<InvalidTopologyException>("num_workers must be >= 1");
    s_->last_rebalance = o;
    if (o.__isset.num_workers) it->second.num_workers = o.num_workers;
    it->second.status = "REBALANCING";
  }
  void beginFileUpload(std::string& ret) override {
    std::unique_lock<std::mutex> lock = Enter("beginFileUpload");
    ret = "/nimbus/inbox/stormjar-" + std::to_string(++s_->upload_counter) + ".jar";
    s_->uploads[ret] = "";
  }
  void uploadChunk(const std::string& loc, const std::string& chunk) override {
    std::unique_lock<std::mutex> lock = Enter("uploadChunk");
    auto it = s_->uploads.find(loc);
    if (it == s_->uploads.end()) throw apache::thrift::TException("unknown upload " + loc);
    it->second += chunk;
  }
  void finishFileUpload(const std::string& loc) override {
    std::unique_lock<std::mutex> lock = Enter("finishFileUpload");
    auto it = s_->uploads.find(loc);
    if (it == s_->uploads.end()) throw apache::thrift::TException("unknown upload " + loc);
    s_->finished[loc] = std::move(it->second);
    s_->uploads.erase(it);
  }
  void getNimbusConf(std::string& ret) override {
    std::unique_lock<std::mutex> lock = Enter("getNimbusConf");
    ret = "{\"nimbus.thrift.max_buffer_size\": 1048576}";
  }
  void getClusterInfo(ClusterSummary& ret) override {
    std::unique_lock<std::mutex> lock = Enter("getClusterInfo");
    s_->Purge();
    for (const auto& [_, t] : s_->alive) ret.topologies.push_back(t);
    ret.supervisors = s_->supervisors;
  }
  void getTopologyInfo(TopologyInfo& ret, const std::string& id) override {
    std::unique_lock<std::mutex> lock = Enter("getTopologyInfo");
    s_->Purge();
    for (const auto& [_, t] : s_->alive) {
      if (t.id == id) {
        ret = s_->Info(t);
        return;
      }
    }
    Throw<NotAliveException>(id);
  }
  void getTopologyInfoByName(TopologyInfo& ret, const std::string& name) override {
    std::unique_lock<std::mutex> lock = Enter("getTopologyInfoByName");
    s_->Purge();
    auto it = s_->alive.find(name);
    if (it == s_->alive.end()) Throw<NotAliveException>(name + " is not alive");
    ret = s_->Info(it->second);
  }
  bool isTopologyNameAllowed(const std::string& name) override {
    std::unique_lock<std::mutex> lock = Enter("isTopologyNameAllowed");
    s_->Purge();
    return !s_->alive.count(name);
  }

 private:
  template <typename E>
  [[noreturn]] void Throw(const std::string& msg) {
    E e;
    e.msg = msg;
    throw e;
  }

  // Records the call and applies its fault, if any. Returns the lock.
  std::unique_lock<std::mutex> Enter(const std::string& method) {
    std::unique_lock<std::mutex> lock(s_->mu);
    s_->calls.push_back(method);
    auto it = s_->faults.find(method);
    if (it == s_->faults.end() || it->second.fault == Fault::kNone) return lock;
    if (it->second.skip > 0) {
      --it->second.skip;
      return lock;
    }
    std::string msg = "test nimbus: " + method + " refused";
    switch (it->second.fault) {
      case Fault::kAlreadyAlive: Throw<AlreadyAliveException>(msg);
      case Fault::kNotAlive: Throw<NotAliveException>(msg);
      case Fault::kInvalidTopology: Throw<InvalidTopologyException>(msg);
      case Fault::kAuthorization: Throw<AuthorizationException>(msg);
      case Fault::kCloseConnection:
        if (socket_) ::shutdown(socket_->getSocketFD(), SHUT_RDWR);
        throw apache::thrift::TException("connection closed by test nimbus");
      case Fault::kNoSuchMethod:
        throw apache::thrift::TApplicationException(apache::thrift::TApplicationException::UNKNOWN_METHOD,
                                                    "Invalid method name: '" + method + "'");
      case Fault::kSlow:
        s_->cv.wait_for(lock, std::chrono::milliseconds(s_->slow_ms), [&] { return s_->stopping; });
        return lock;
      case Fault::kNone: break;
    }
    return lock;
  }

  void Submit(const char* method, const std::string& name, const std::string& loc, const std::string& conf,
              const StormTopology& t, const SubmitOptions& o) {
    std::unique_lock<std::mutex> lock = Enter(method);
    s_->Purge();
    if (s_->alive.count(name)) Throw<AlreadyAliveException>("Topology with name `" + name + "` already exists on cluster");
    if (!s_->finished.count(loc)) Throw<InvalidTopologyException>("no uploaded jar at " + loc);
    if (name.empty()) Throw<InvalidTopologyException>("empty topology name");
    s_->submitted.push_back({name, loc, conf, t, o.initial_status});
    TopologySummary ts;
    ts.id = name + "-" + std::to_string(++s_->id_counter) + "-1700000000";
    ts.name = name;
    int executors = 0, tasks = 0;
    for (const auto& [_, sp] : t.spouts) executors += sp.common.__isset.parallelism_hint ? sp.common.parallelism_hint : 1;
    for (const auto& [_, b] : t.bolts) executors += b.common.__isset.parallelism_hint ? b.common.parallelism_hint : 1;
    tasks = executors;
    ts.num_executors = executors;
    ts.num_tasks = tasks;
    ts.num_workers = 1;
    ts.uptime_secs = 0;
    ts.status = o.initial_status == TopologyInitialStatus::INACTIVE ? "INACTIVE" : "ACTIVE";
    s_->alive[name] = ts;
  }

  void Kill(const char* method, const std::string& name, const KillOptions& o) {
    std::unique_lock<std::mutex> lock = Enter(method);
    s_->Purge();
    auto it = s_->alive.find(name);
    if (it == s_->alive.end() || s_->killed.count(name)) Throw<NotAliveException>(name + " is not alive");
    s_->last_kill = o;
    it->second.status = "KILLED";
    s_->killed[name] = {std::chrono::steady_clock::now() + std::chrono::milliseconds(s_->kill_linger_ms)};
    s_->Purge();
  }

  void SetStatus(const char* method, const std::string& name, const char* status) {
    std::unique_lock<std::mutex> lock = Enter(method);
    s_->Purge();
    auto it = s_->alive.find(name);
    if (it == s_->alive.end() || s_->killed.count(name)) Throw<NotAliveException>(name + " is not alive");
    it->second.status = status;
  }

  std::shared_ptr<TestNimbus::State> s_;
  std::shared_ptr<TSocket> socket_;
};

class HandlerFactory : public NimbusIfFactory {
 public:
  explicit HandlerFactory(std::shared_ptr<TestNimbus::State> s) : s_(std::move(s)) {}
  NimbusIf* getHandler(const TConnectionInfo& info) override {
    return new TestHandler(s_, std::dynamic_pointer_cast<TSocket>(info.transport));
  }
  void releaseHandler(NimbusIf* h) override { delete h; }

 private:
  std::shared_ptr<TestNimbus::State> s_;
};

class ReadySignal : public TServerEventHandler {
 public:
  explicit ReadySignal(std::shared_ptr<TestNimbus::State> s) : s_(std::move(s)) {}
  void preServe() override {
    std::lock_guard<std::mutex> lock(s_->mu);
    s_->listening = true;
    s_->cv.notify_all();
  }

 private:
  std::shared_ptr<TestNimbus::State> s_;
};

}  // namespace

TestNimbus::TestNimbus() : state_(std::make_shared<State>()) {}
TestNimbus::~TestNimbus() { Stop(); }

bool TestNimbus::Start() {
  auto socket = std::make_shared<TServerSocket>("127.0.0.1", 0);
  auto processor = std::make_shared<NimbusProcessorFactory>(std::make_shared<HandlerFactory>(state_));
  server_ = std::make_shared<TThreadedServer>(processor, socket, std::make_shared<TFramedTransportFactory>(),
                                              std::make_shared<TBinaryProtocolFactory>());
  server_->setServerEventHandler(std::make_shared<ReadySignal>(state_));
  thread_ = std::thread([this] {
    try {
      server_->serve();
    } catch (...) {
    }
  });
  std::unique_lock<std::mutex> lock(state_->mu);
  if (!state_->cv.wait_for(lock, std::chrono::seconds(10), [&] { return state_->listening; })) return false;
  port_ = socket->getPort();
  return port_ > 0;
}

void TestNimbus::Stop() {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stopping = true;
    state_->cv.notify_all();
  }
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

void TestNimbus::SetFault(const std::string& method, Fault fault, int skip) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults[method] = {fault, skip};
}
void TestNimbus::ClearFaults() {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults.clear();
}
void TestNimbus::set_slow_ms(int ms) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->slow_ms = ms;
}
void TestNimbus::set_kill_linger_ms(int ms) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->kill_linger_ms = ms;
}
void TestNimbus::AddTopology(const std::string& name, const std::string& status, int workers, int executors, int tasks,
                             int uptime_secs) {
  std::lock_guard<std::mutex> lock(state_->mu);
  TopologySummary t;
  t.id = name + "-" + std::to_string(++state_->id_counter) + "-1700000000";
  t.name = name;
  t.status = status;
  t.num_workers = workers;
  t.num_executors = executors;
  t.num_tasks = tasks;
  t.uptime_secs = uptime_secs;
  state_->alive[name] = t;
}

void TestNimbus::AddSupervisor(const std::string& host, int slots, int used_slots, int uptime_secs) {
  std::lock_guard<std::mutex> lock(state_->mu);
  SupervisorSummary s;
  s.host = host;
  s.num_workers = slots;
  s.num_used_workers = used_slots;
  s.uptime_secs = uptime_secs;
  s.supervisor_id = "supervisor-" + host;
  state_->supervisors.push_back(s);
}
void TestNimbus::SetExecutors(const std::string& name, std::vector<ExecutorSummary> executors) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->executors[name] = std::move(executors);
}

std::vector<std::string> TestNimbus::calls() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->calls;
}
std::map<std::string, std::string> TestNimbus::finished_uploads() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->finished;
}
std::vector<SubmittedTopology> TestNimbus::submitted() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->submitted;
}
std::vector<TopologySummary> TestNimbus::topologies() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->Purge();
  std::vector<TopologySummary> out;
  for (const auto& [_, t] : state_->alive) out.push_back(t);
  return out;
}
std::optional<KillOptions> TestNimbus::last_kill_options() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->last_kill;
}
std::optional<RebalanceOptions> TestNimbus::last_rebalance_options() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->last_rebalance;
}

}  // namespace topoc::deploy::testing
