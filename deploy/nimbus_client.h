// A client for Storm's Nimbus over Thrift: framed transport, binary
// protocol (Storm's SimpleTransportPlugin), default port 6627.
//
// Every call returns false with a one-line `error` instead of throwing:
// Nimbus's own exceptions (AlreadyAlive, NotAlive, InvalidTopology,
// Authorization) give "Nimbus refused <call>: <Kind>: <msg>"; a refused
// connection, a timeout or the server closing the socket each get their own
// line naming the host:port and the call.
//
// Requests are framed client-side; a frame bigger than Nimbus's
// nimbus.thrift.max_buffer_size (1 MiB by default) is refused before it is
// sent (Nimbus would drop the connection without a word).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "thrift/gen-cpp/Nimbus.h"

namespace topoc::deploy {

// StormSubmitter's chunk size.
inline constexpr size_t kUploadChunkBytes = 307200;
// Nimbus's default nimbus.thrift.max_buffer_size.
inline constexpr uint32_t kNimbusMaxFrameBytes = 1048576;

struct NimbusTimeouts {
  std::chrono::milliseconds connect{10000};
  std::chrono::milliseconds io{60000};  // each send / receive
};

class NimbusClient {
 public:
  NimbusClient();
  ~NimbusClient();

  // Opens the connection. `max_frame` overrides kNimbusMaxFrameBytes.
  bool Connect(const std::string& host, int port, const NimbusTimeouts& timeouts, std::string* error,
               uint32_t max_frame = kNimbusMaxFrameBytes);
  void Close();
  std::string Address() const { return host_ + ":" + std::to_string(port_); }

  // beginFileUpload, uploadChunk per kUploadChunkBytes, finishFileUpload.
  // `progress(sent, total)` is called after each chunk. Sets `location` to
  // the path Nimbus gave.
  bool UploadJar(const std::filesystem::path& jar, std::string* location,
                 const std::function<void(uint64_t sent, uint64_t total)>& progress, std::string* error);
  bool SubmitTopology(const std::string& name, const std::string& jar_location, const std::string& json_conf,
                      const topoc::storm::StormTopology& topology, bool active, std::string* error);
  bool KillTopology(const std::string& name, std::optional<int> wait_secs, std::string* error);
  bool Activate(const std::string& name, std::string* error);
  bool Deactivate(const std::string& name, std::string* error);
  bool Rebalance(const std::string& name, std::optional<int> num_workers, std::optional<int> wait_secs,
                 std::string* error);
  bool GetClusterInfo(topoc::storm::ClusterSummary* out, std::string* error);
  // getTopologyInfo by topology id (name-counter-timestamp).
  bool GetTopologyInfo(const std::string& id, topoc::storm::TopologyInfo* out, std::string* error);
  // getTopologyInfoByName (Storm 2.3+); a Nimbus without it (it answers
  // with a TApplicationException) is asked getClusterInfo for the id, then
  // getTopologyInfo. A name that is not running gives
  // "no topology named 'X' on the cluster".
  bool GetTopologyInfoByName(const std::string& name, topoc::storm::TopologyInfo* out, std::string* error);

  // Polls getClusterInfo until no topology named `name` is listed (true) or
  // `timeout` passes (false, with error).
  bool WaitUntilGone(const std::string& name, std::chrono::milliseconds timeout, std::string* error);

 private:
  template <typename F>
  bool Call(const char* what, F&& f, std::string* error);

  std::string host_;
  int port_ = 0;
  NimbusTimeouts timeouts_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "12d 3h", "4h 5m", "6m 7s", "8s".
std::string FormatUptime(int64_t secs);

// Rows (the first is the header) as columns two spaces apart, each as wide
// as its widest cell; columns whose `right_align` is true are right-aligned;
// no trailing spaces.
std::string FormatColumns(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right_align);

// `topoc list`'s table: NAME STATUS WORKERS EXECUTORS TASKS UPTIME, sorted by name.
std::string FormatTopologyTable(const std::vector<topoc::storm::TopologySummary>& topologies);

}  // namespace topoc::deploy
