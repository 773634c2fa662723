// The live view's web server (the topoc-ui.so module, ui_plugin_api.h):
// cpp-httplib on 127.0.0.1, on threads of its own. Routes:
//   /                                   the page (graph inline, ui.js, ui.css)
//   /ui.js, /ui.css                     the page's code and style
//   /api/v1/cluster/summary             Storm UI REST API v1 (storm_api.h)
//   /api/v1/topology/summary
//   /api/v1/topology/:id                ?window=600|:all-time
//   /api/v1/topology/:id/component/:component
//   /api/v1/topology/:id/visualization
//   /topoc/live                         LiveJson once
//   /topoc/events                       Server-Sent Events: LiveJson, ~1 Hz
//   /topoc/log?component=C&task=N       the tail of a task's log
//   /topoc/graph.svg                    the graph alone
// Snapshots arrive through publish() into an inbox (one pointer, under its
// own mutex); a collector thread moves them into the history the handlers
// read, so `topoc`'s routing thread never waits for a request.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "runtime/ui/snapshot_json.h"
#include "runtime/ui/ui_assets.h"
#include "runtime/ui/ui_plugin_api.h"

extern char** environ;

namespace topoc::runtime::ui {

namespace {

namespace fs = std::filesystem;

void CopyError(const std::string& text, char* err, size_t n) {
  if (!err || n == 0) return;
  size_t len = std::min(n - 1, text.size());
  std::memcpy(err, text.data(), len);
  err[len] = '\0';
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Graphviz's `dot -Tsvg` ($TOPOC_DOT overrides the program). On failure
// `svg` is empty and `error` says why.
void RenderSvg(const std::string& dot_text, const fs::path& work, std::string* svg, std::string* error) {
  std::error_code ec;
  fs::create_directories(work, ec);
  fs::path in = work / "graph.dot", out = work / "graph.svg";
  {
    std::ofstream f(in, std::ios::binary | std::ios::trunc);
    f << dot_text;
    if (!f.flush()) {
      *error = "cannot write " + in.string();
      return;
    }
  }
  fs::remove(out, ec);
  const char* env = std::getenv("TOPOC_DOT");
  std::string prog = env && *env ? env : "dot";
  std::string o = "-o" + out.string();
  std::vector<char*> argv = {prog.data(), const_cast<char*>("-Tsvg"), o.data(), const_cast<char*>(in.c_str()),
                             nullptr};
  pid_t pid;
  if (posix_spawnp(&pid, prog.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
    *error = "Graphviz's `dot` was not found (Debian: apt-get install graphviz); the page lists the components instead";
    return;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *error = "`" + prog + " -Tsvg` failed";
    return;
  }
  *svg = ReadFile(out);
  // The XML prologue and DOCTYPE cannot be inlined in HTML: from <svg on.
  size_t at = svg->find("<svg");
  if (at == std::string::npos) {
    svg->clear();
    *error = "`" + prog + " -Tsvg` wrote no SVG";
    return;
  }
  svg->erase(0, at);
}

// The last `lines` lines of a file (at most its last 256 KiB).
std::string Tail(const std::string& path, int lines) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return "";
  f.seekg(0, std::ios::end);
  std::streamoff size = f.tellg();
  std::streamoff from = std::max<std::streamoff>(0, size - (256 << 10));
  f.seekg(from);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t pos = text.size();
  if (pos && text[pos - 1] == '\n') --pos;
  for (int n = 0; n < lines && pos != std::string::npos && pos > 0; ++n) {
    pos = text.rfind('\n', pos - 1);
  }
  return pos == std::string::npos || pos == 0 ? text : text.substr(pos + 1);
}

class Server {
 public:
  explicit Server(TopologyInfo info, std::string svg, std::string graph_error)
      : info_(std::move(info)), svg_(std::move(svg)), graph_error_(std::move(graph_error)) {
    Routes();
  }

  int Bind(int port, std::string* error) {
    // SO_REUSEADDR only: httplib's default SO_REUSEPORT would share a port
    // that another server already listens on.
    http_.set_socket_options([](int sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http_.set_keep_alive_timeout(2);
    // Each open page holds a worker with its event stream: room for several.
    http_.new_task_queue = [] { return new httplib::ThreadPool(16); };
    int bound = port == 0 ? http_.bind_to_any_port("127.0.0.1") : (http_.bind_to_port("127.0.0.1", port) ? port : -1);
    if (bound < 0) {
      *error = port == 0 ? std::string("cannot listen on 127.0.0.1: ") + std::strerror(errno)
                         : "cannot listen on 127.0.0.1:" + std::to_string(port) +
                               " (in use by another program?); choose another with --ui-port N, or 0 for any free port";
    }
    return bound;
  }

  void Start() {
    // The server's threads take no signals: SIGINT/SIGTERM stay with the
    // routing thread (its poll wakes up).
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    collector_ = std::thread([this] { Collect(); });
    serving_ = std::thread([this] {
      http_.listen_after_bind();
      listen_ended_ = true;
    });
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }

  void Publish(const char* json) {
    auto parsed = std::make_shared<std::string>(json);
    {
      std::lock_guard<std::mutex> lock(inbox_mu_);
      inbox_ = std::move(parsed);
    }
    inbox_cv_.notify_one();
  }

  void Stop() {
    // The collector takes the last snapshot (the end of the run) first.
    {
      std::lock_guard<std::mutex> lock(inbox_mu_);
      stop_ = true;
    }
    inbox_cv_.notify_all();
    if (collector_.joinable()) collector_.join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
    // The event streams send it and end; a moment for them to.
    for (int i = 0; i < 50; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (streams_ == 0) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // httplib's stop() only closes a socket its listen loop has started on:
    // a run that ends right after it began must wait for the loop (or its
    // failure), or the join below would never return.
    for (int i = 0; i < 5000 && serving_.joinable() && !http_.is_running() && !listen_ended_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    http_.stop();
    if (serving_.joinable()) serving_.join();
  }

 private:
  // Moves published snapshots into the history (parsing off the routing
  // thread) and wakes the event streams.
  void Collect() {
    while (true) {
      std::shared_ptr<std::string> text;
      {
        std::unique_lock<std::mutex> lock(inbox_mu_);
        inbox_cv_.wait(lock, [&] { return stop_ || inbox_; });
        if (stop_ && !inbox_) return;
        text = std::move(inbox_);
        inbox_.reset();
      }
      auto snap = std::make_shared<RunSnapshot>();
      Json j = Json::parse(*text, nullptr, false);
      if (j.is_discarded() || !SnapshotFromJson(j, snap.get())) continue;
      {
        std::lock_guard<std::mutex> lock(mu_);
        history_.Add(std::move(snap));
        ++seq_;
      }
      cv_.notify_all();
    }
  }

  static void SendJson(const httplib::Request& req, httplib::Response& res, const Json& j, int status = 200) {
    res.status = status;
    res.set_header("Access-Control-Allow-Origin", "*");
    std::string body = j.dump();
    if (req.has_param("callback")) {  // JSONP, as Storm UI
      std::string cb = req.get_param_value("callback");
      bool ok = !cb.empty() && cb.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$") ==
                                   std::string::npos;
      if (ok) {
        res.set_content(cb + "(" + body + ");", "application/javascript");
        return;
      }
    }
    res.set_content(body, "application/json");
  }

  // The topology named by :id (its id, or its name), else a 404 answered.
  bool CheckTopology(const httplib::Request& req, httplib::Response& res) {
    std::string id = req.matches[1];
    if (id == info_.id || id == info_.name) return true;
    SendJson(req, res,
             ErrorJson("Not Found", "topology '" + id + "' is not running here (this run: '" + info_.id + "')"), 404);
    return false;
  }

  bool CheckWindow(const httplib::Request& req, httplib::Response& res, std::string* window) {
    *window = req.has_param("window") ? req.get_param_value("window") : ":all-time";
    double secs;
    if (ParseWindow(*window, &secs)) return true;
    SendJson(req, res,
             ErrorJson("Bad Request", "window '" + *window + "': use 600 (ten minutes), 1..600 seconds or :all-time"),
             400);
    return false;
  }

  void Routes() {
    for (size_t i = 0; i < kUiAssetsCount; ++i) {
      const UiAsset& a = kUiAssets[i];
      if (std::string(a.path) == "/index.html") continue;
      http_.Get(a.path, [&a](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(a.body), UiAssetType(a.path));
      });
    }
    http_.Get("/", [this](const httplib::Request&, httplib::Response& res) { res.set_content(Page(), "text/html"); });
    http_.Get("/index.html",
              [this](const httplib::Request&, httplib::Response& res) { res.set_content(Page(), "text/html"); });
    http_.Get("/topoc/graph.svg", [this](const httplib::Request&, httplib::Response& res) {
      if (svg_.empty()) {
        res.status = 404;
        res.set_content(graph_error_, "text/plain");
        return;
      }
      res.set_content(svg_, "image/svg+xml");
    });
    http_.Get("/api/v1/cluster/summary", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      SendJson(req, res, ClusterSummaryJson(info_, history_));
    });
    http_.Get("/api/v1/topology/summary", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      SendJson(req, res, TopologySummaryJson(info_, history_));
    });
    http_.Get(R"(/api/v1/topology/([^/]+)/visualization)", [this](const httplib::Request& req,
                                                                  httplib::Response& res) {
      std::string window;
      if (!CheckTopology(req, res) || !CheckWindow(req, res, &window)) return;
      std::lock_guard<std::mutex> lock(mu_);
      SendJson(req, res, VisualizationJson(info_, history_, window));
    });
    http_.Get(R"(/api/v1/topology/([^/]+)/component/([^/]+))", [this](const httplib::Request& req,
                                                                       httplib::Response& res) {
      std::string window;
      if (!CheckTopology(req, res) || !CheckWindow(req, res, &window)) return;
      std::string cid = req.matches[2];
      const TopologyInfo::Component* c = info_.Find(cid);
      if (!c) {
        SendJson(req, res, ErrorJson("Not Found", "topology '" + info_.id + "' has no component '" + cid + "'"), 404);
        return;
      }
      std::lock_guard<std::mutex> lock(mu_);
      SendJson(req, res, ComponentJson(info_, history_, *c, window));
    });
    http_.Get(R"(/api/v1/topology/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::string window;
      if (!CheckTopology(req, res) || !CheckWindow(req, res, &window)) return;
      std::lock_guard<std::mutex> lock(mu_);
      SendJson(req, res, TopologyJson(info_, history_, window));
    });
    http_.Get("/topoc/log", [this](const httplib::Request& req, httplib::Response& res) {
      std::string cid = req.get_param_value("component");
      int task = std::atoi(req.get_param_value("task").c_str());
      int lines = req.has_param("lines") ? std::clamp(std::atoi(req.get_param_value("lines").c_str()), 1, 2000) : 60;
      std::string path;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (auto cur = history_.Latest()) {
          for (const auto& c : cur->components) {
            for (const auto& t : c.tasks) {
              if (c.id == cid && t.id == task) path = t.log_file;
            }
          }
        }
      }
      if (path.empty()) {
        SendJson(req, res, ErrorJson("Not Found", "no task " + std::to_string(task) + " of component '" + cid + "'"),
                 404);
        return;
      }
      res.set_header("X-Log-File", path);
      res.set_content(Tail(path, lines), "text/plain; charset=utf-8");
    });
    http_.Get("/topoc/live", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      SendJson(req, res, LiveJson(info_, history_));
    });
    http_.Get("/topoc/events", [this](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-cache");
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++streams_;
      }
      auto provider = [this, last = uint64_t(0)](size_t, httplib::DataSink& sink) mutable {
        std::string msg;
        {
          std::unique_lock<std::mutex> lock(mu_);
          cv_.wait_for(lock, std::chrono::seconds(2), [&] { return stopped_ || seq_ != last; });
          if (seq_ == last && stopped_) {  // the last snapshot was sent
            sink.done();
            return false;
          }
          if (seq_ == last) {
            msg = ": waiting\n\n";  // keeps the connection alive, tells a dead client
          } else {
            last = seq_;
            msg = "data: " + LiveJson(info_, history_).dump() + "\n\n";
          }
        }
        return sink.write(msg.data(), msg.size());
      };
      res.set_chunked_content_provider("text/event-stream", provider, [this](bool) {
        std::lock_guard<std::mutex> lock(mu_);
        --streams_;
      });
    });
    http_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (res.status == 404 && res.body.empty()) {
        SendJson(req, res, ErrorJson("Not Found", "no such path: " + req.path), 404);
      }
    });
  }

  std::string Page() const {
    std::string page;
    for (size_t i = 0; i < kUiAssetsCount; ++i) {
      if (std::string(kUiAssets[i].path) == "/index.html") page = std::string(kUiAssets[i].body);
    }
    auto put = [&](const std::string& mark, const std::string& text) {
      for (size_t at = 0; (at = page.find(mark, at)) != std::string::npos; at += text.size()) {
        page.replace(at, mark.size(), text);
      }
    };
    put("<!--TOPOLOGY-->", HtmlEscape(info_.name));
    put("<!--GRAPH-->", svg_.empty() ? "<p class=\"graph-error\">" + HtmlEscape(graph_error_) + "</p>" : svg_);
    Json boot = InfoToJson(info_);
    std::string boot_text = boot.dump();
    // Inside <script>: no "</" may end it early.
    for (size_t at = 0; (at = boot_text.find("</", at)) != std::string::npos; at += 3) boot_text.replace(at, 2, "<\\/");
    put("/*BOOT*/null", boot_text);
    return page;
  }

  TopologyInfo info_;
  std::string svg_, graph_error_;
  httplib::Server http_;
  std::thread serving_, collector_;
  std::atomic<bool> listen_ended_{false};  // listen_after_bind returned

  std::mutex inbox_mu_;  // held only to swap a pointer
  std::condition_variable inbox_cv_;
  std::shared_ptr<std::string> inbox_;
  bool stop_ = false;

  std::mutex mu_;  // history_, seq_, stopped_, streams_
  std::condition_variable cv_;
  LiveHistory history_;
  uint64_t seq_ = 0;
  bool stopped_ = false;
  int streams_ = 0;  // event streams open
};

void* Create(const char* info_json, char* err, size_t n) {
  Json j = Json::parse(info_json, nullptr, false);
  TopologyInfo info;
  if (j.is_discarded() || !InfoFromJson(j, &info) || !j.contains("dot") || !j["dot"].is_string()) {
    CopyError("topoc-ui: bad topology description", err, n);
    return nullptr;
  }
  std::string svg, graph_error;
  RenderSvg(j["dot"].get<std::string>(), fs::path(j.value("workDir", std::string("."))), &svg, &graph_error);
  return new Server(std::move(info), std::move(svg), std::move(graph_error));
}

int Bind(void* s, int port, char* err, size_t n) {
  std::string error;
  int bound = static_cast<Server*>(s)->Bind(port, &error);
  if (bound < 0) CopyError(error, err, n);
  return bound;
}

void StartServer(void* s) { static_cast<Server*>(s)->Start(); }
void PublishSnapshot(void* s, const char* json) { static_cast<Server*>(s)->Publish(json); }
void StopServer(void* s) { static_cast<Server*>(s)->Stop(); }
void Destroy(void* s) { delete static_cast<Server*>(s); }

const TopocUiApi kApi = {TOPOC_UI_API_VERSION, Create, Bind, StartServer, PublishSnapshot, StopServer, Destroy};

}  // namespace

}  // namespace topoc::runtime::ui

extern "C" __attribute__((visibility("default"))) const TopocUiApi* topoc_ui_api(void) {
  return &topoc::runtime::ui::kApi;
}
