#include "deploy/nimbus_client.h"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <thrift/TOutput.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>
#include <thrift/transport/TTransportException.h>

namespace topoc::deploy {

namespace fs = std::filesystem;
using apache::thrift::TApplicationException;
using apache::thrift::TException;
using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::transport::TFramedTransport;
using apache::thrift::transport::TSocket;
using apache::thrift::transport::TTransport;
using apache::thrift::transport::TTransportException;

namespace {

// Thrown (and caught in Call) when a request frame is over the limit.
struct FrameTooLarge {
  uint32_t size;
  uint32_t limit;
};

// TFramedTransport that refuses, before sending, a frame over `limit`.
class LimitedFramedTransport : public TFramedTransport {
 public:
  LimitedFramedTransport(std::shared_ptr<TTransport> t, uint32_t limit) : TFramedTransport(std::move(t)), limit_(limit) {}
  void flush() override {
    // The frame is the whole request, buffered after the 4-byte length that
    // flush writes in front; Nimbus drops a connection whose frame is over its
    // nimbus.thrift.max_buffer_size without an answer, so it is checked here.
    auto size = static_cast<uint32_t>(wBase_ - (wBuf_.get() + sizeof(uint32_t)));
    if (size > limit_) {
      // Drop the buffered frame so the connection stays usable.
      wBase_ = wBuf_.get() + sizeof(uint32_t);
      throw FrameTooLarge{size, limit_};
    }
    TFramedTransport::flush();
  }

 private:
  uint32_t limit_;
};

std::string MiB(uint64_t bytes) { return fmt::format("{:.2f} MiB", bytes / 1048576.0); }

}  // namespace

struct NimbusClient::Impl {
  std::shared_ptr<TSocket> socket;
  std::shared_ptr<LimitedFramedTransport> transport;
  std::unique_ptr<topoc::storm::NimbusClient> client;
};

NimbusClient::NimbusClient() : impl_(std::make_unique<Impl>()) {}
NimbusClient::~NimbusClient() { Close(); }

void NimbusClient::Close() {
  if (impl_ && impl_->transport) {
    try {
      impl_->socket->close();
    } catch (...) {
    }
    impl_->client.reset();
    impl_->transport.reset();
    impl_->socket.reset();
  }
}

bool NimbusClient::Connect(const std::string& host, int port, const NimbusTimeouts& timeouts, std::string* error,
                           uint32_t max_frame) {
  // A peer closing mid-write must give an error, not kill us.
  // (Process-wide: topoc never wants SIGPIPE's default death.)
  std::signal(SIGPIPE, SIG_IGN);
  // Thrift prints its own log lines to stderr; our one-line errors say it all.
  apache::thrift::GlobalOutput.setOutputFunction([](const char*) {});
  Close();
  host_ = host;
  port_ = port;
  timeouts_ = timeouts;
  // Storm's SimpleTransportPlugin: a framed transport and the binary protocol
  // over a plain socket, each send and receive bounded by the io timeout.
  impl_->socket = std::make_shared<TSocket>(host, port);
  impl_->socket->setConnTimeout(static_cast<int>(timeouts.connect.count()));
  impl_->socket->setRecvTimeout(static_cast<int>(timeouts.io.count()));
  impl_->socket->setSendTimeout(static_cast<int>(timeouts.io.count()));
  impl_->transport = std::make_shared<LimitedFramedTransport>(impl_->socket, max_frame);
  auto protocol = std::make_shared<TBinaryProtocol>(impl_->transport);
  impl_->client = std::make_unique<topoc::storm::NimbusClient>(protocol);
  try {
    impl_->transport->open();
  } catch (const TTransportException& e) {
    std::string what = e.what();
    // Thrift's messages name the socket call; the user gets the cause.
    std::string why = what.find("refused") != std::string::npos ? "connection refused (is Nimbus running there?)"
                      : e.getType() == TTransportException::TIMED_OUT || what.find("timed out") != std::string::npos
                          ? fmt::format("no answer within {} s", timeouts.connect.count() / 1000.0)
                          : what;
    *error = fmt::format("cannot connect to Nimbus at {}: {}", Address(), why);
    Close();
    return false;
  } catch (const std::exception& e) {
    *error = fmt::format("cannot connect to Nimbus at {}: {}", Address(), e.what());
    Close();
    return false;
  }
  return true;
}

template <typename F>
bool NimbusClient::Call(const char* what, F&& f, std::string* error) {
  if (!impl_->client) {
    *error = fmt::format("not connected to Nimbus ({})", what);
    return false;
  }
  // Nimbus's declared exceptions are answers, not faults: the connection
  // stays open. Transport faults close it (the next call would only fail).
  auto refused = [&](const char* kind, const std::string& msg) {
    *error = fmt::format("Nimbus refused {}: {}: {}", what, kind, msg);
    return false;
  };
  try {
    f(*impl_->client);
    return true;
  } catch (const FrameTooLarge& e) {
    *error = fmt::format("{} request is {} ({} bytes), over Nimbus's {} frame limit (nimbus.thrift.max_buffer_size); not sent",
                         what, MiB(e.size), e.size, MiB(e.limit));
    return false;
  } catch (const topoc::storm::AlreadyAliveException& e) {
    return refused("AlreadyAliveException", e.msg);
  } catch (const topoc::storm::NotAliveException& e) {
    return refused("NotAliveException", e.msg);
  } catch (const topoc::storm::InvalidTopologyException& e) {
    return refused("InvalidTopologyException", e.msg);
  } catch (const topoc::storm::AuthorizationException& e) {
    return refused("AuthorizationException", e.msg);
  } catch (const TTransportException& e) {
    std::string why;
    // A transport fault leaves the connection unusable: it is closed below.
    switch (e.getType()) {
      case TTransportException::TIMED_OUT:
        why = fmt::format("no answer within {} s", timeouts_.io.count() / 1000.0);
        break;
      case TTransportException::END_OF_FILE:
      case TTransportException::NOT_OPEN:
        why = "Nimbus closed the connection";
        break;
      default: {
        std::string w = e.what();
        if (w.find("EAGAIN") != std::string::npos || w.find("timed out") != std::string::npos) {
          why = fmt::format("no answer within {} s", timeouts_.io.count() / 1000.0);
        } else if (w.find("reset") != std::string::npos || w.find("Broken pipe") != std::string::npos ||
                   w.find("EPIPE") != std::string::npos) {
          why = "Nimbus closed the connection";
        } else {
          why = w;
        }
      }
    }
    *error = fmt::format("Nimbus at {} failed during {}: {}", Address(), what, why);
    Close();
    return false;
  // An unknown method or a server-side crash: Nimbus answered, the
  // connection is still good.
  } catch (const TApplicationException& e) {
    *error = fmt::format("Nimbus at {} could not run {}: {}", Address(), what, e.what());
    return false;
  } catch (const TException& e) {
    *error = fmt::format("Nimbus at {} failed during {}: {}", Address(), what, e.what());
    Close();
    return false;
  } catch (const std::exception& e) {
    *error = fmt::format("Nimbus at {} failed during {}: {}", Address(), what, e.what());
    Close();
    return false;
  }
}

bool NimbusClient::UploadJar(const fs::path& jar, std::string* location,
                             const std::function<void(uint64_t, uint64_t)>& progress, std::string* error) {
  std::ifstream in(jar, std::ios::binary);
  std::error_code ec;
  uint64_t total = fs::file_size(jar, ec);
  if (!in || ec) {
    *error = fmt::format("cannot read the jar {}", jar.string());
    return false;
  }
  // StormSubmitter's upload: Nimbus names the file (location), then takes it
  // in chunks small enough for its frame limit.
  if (!Call("beginFileUpload", [&](auto& c) { c.beginFileUpload(*location); }, error)) return false;
  std::string chunk(kUploadChunkBytes, '\0');
  uint64_t sent = 0;
  while (sent < total) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    std::streamsize n = in.gcount();
    if (n <= 0) {
      *error = fmt::format("cannot read the jar {}", jar.string());
      return false;
    }
    std::string piece(chunk.data(), static_cast<size_t>(n));
    std::string what = fmt::format("uploadChunk (at {} of {} bytes)", sent, total);
    if (!Call(what.c_str(), [&](auto& c) { c.uploadChunk(*location, piece); }, error)) return false;
    sent += static_cast<uint64_t>(n);
    if (progress) progress(sent, total);
  }
  return Call("finishFileUpload", [&](auto& c) { c.finishFileUpload(*location); }, error);
}

bool NimbusClient::SubmitTopology(const std::string& name, const std::string& jar_location,
                                  const std::string& json_conf, const topoc::storm::StormTopology& topology,
                                  bool active, std::string* error) {
  topoc::storm::SubmitOptions opts;
  opts.initial_status = active ? topoc::storm::TopologyInitialStatus::ACTIVE : topoc::storm::TopologyInitialStatus::INACTIVE;
  return Call("submitTopologyWithOpts",
              [&](auto& c) { c.submitTopologyWithOpts(name, jar_location, json_conf, topology, opts); }, error);
}

bool NimbusClient::KillTopology(const std::string& name, std::optional<int> wait_secs, std::string* error) {
  topoc::storm::KillOptions opts;
  if (wait_secs) opts.__set_wait_secs(*wait_secs);
  return Call("killTopologyWithOpts", [&](auto& c) { c.killTopologyWithOpts(name, opts); }, error);
}

bool NimbusClient::Activate(const std::string& name, std::string* error) {
  return Call("activate", [&](auto& c) { c.activate(name); }, error);
}

bool NimbusClient::Deactivate(const std::string& name, std::string* error) {
  return Call("deactivate", [&](auto& c) { c.deactivate(name); }, error);
}

bool NimbusClient::Rebalance(const std::string& name, std::optional<int> num_workers, std::optional<int> wait_secs,
                             std::string* error) {
  topoc::storm::RebalanceOptions opts;
  if (num_workers) opts.__set_num_workers(*num_workers);
  if (wait_secs) opts.__set_wait_secs(*wait_secs);
  return Call("rebalance", [&](auto& c) { c.rebalance(name, opts); }, error);
}

bool NimbusClient::GetClusterInfo(topoc::storm::ClusterSummary* out, std::string* error) {
  return Call("getClusterInfo", [&](auto& c) { c.getClusterInfo(*out); }, error);
}

bool NimbusClient::GetTopologyInfo(const std::string& id, topoc::storm::TopologyInfo* out, std::string* error) {
  return Call("getTopologyInfo", [&](auto& c) { c.getTopologyInfo(*out, id); }, error);
}

bool NimbusClient::GetTopologyInfoByName(const std::string& name, topoc::storm::TopologyInfo* out,
                                         std::string* error) {
  bool unknown_method = false;
  bool ok = Call("getTopologyInfoByName",
                 [&](auto& c) {
                   try {
                     c.getTopologyInfoByName(*out, name);
                   // Caught inside the call: the connection is still good for the
                   // getClusterInfo fallback below.
                   } catch (const TApplicationException&) {
                     unknown_method = true;  // Storm before 2.3
                   }
                 },
                 error);
  if (!ok) {
    if (error->find("NotAliveException") != std::string::npos)
      *error = fmt::format("no topology named '{}' on the cluster", name);
    return false;
  }
  if (!unknown_method) return true;
  topoc::storm::ClusterSummary cs;
  if (!GetClusterInfo(&cs, error)) return false;
  for (const auto& t : cs.topologies) {
    if (t.name == name) return GetTopologyInfo(t.id, out, error);
  }
  *error = fmt::format("no topology named '{}' on the cluster", name);
  return false;
}

bool NimbusClient::WaitUntilGone(const std::string& name, std::chrono::milliseconds timeout, std::string* error) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    topoc::storm::ClusterSummary cs;
    if (!GetClusterInfo(&cs, error)) return false;
    bool present = std::any_of(cs.topologies.begin(), cs.topologies.end(),
                               [&](const auto& t) { return t.name == name; });
    if (!present) return true;
    if (std::chrono::steady_clock::now() >= deadline) {
      *error = fmt::format("topology '{}' is still on the cluster after {} s", name, timeout.count() / 1000);
      return false;
    }
    // Nimbus lists a killed topology (status KILLED) until its wait_secs end.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

std::string FormatUptime(int64_t s) {
  if (s < 0) s = 0;
  int64_t d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60, sec = s % 60;
  if (d) return fmt::format("{}d {}h", d, h);
  if (h) return fmt::format("{}h {}m", h, m);
  if (m) return fmt::format("{}m {}s", m, sec);
  return fmt::format("{}s", sec);
}

std::string FormatTopologyTable(const std::vector<topoc::storm::TopologySummary>& topologies) {
  std::vector<std::vector<std::string>> rows = {{"NAME", "STATUS", "WORKERS", "EXECUTORS", "TASKS", "UPTIME"}};
  // By name, whatever order Nimbus lists them in.
  std::vector<topoc::storm::TopologySummary> sorted = topologies;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& t : sorted) {
    rows.push_back({t.name, t.status, std::to_string(t.num_workers), std::to_string(t.num_executors),
                    std::to_string(t.num_tasks), FormatUptime(t.uptime_secs)});
  }
  return FormatColumns(rows, {false, false, true, true, true, false});
}

std::string FormatColumns(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right_align) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      bool right = i < right_align.size() && right_align[i];
      std::string cell = right ? fmt::format("{:>{}}", r[i], width[i]) : fmt::format("{:<{}}", r[i], width[i]);
      line += (i ? "  " : "") + cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace topoc::deploy
