#include "runtime/run_report.h"

#include <algorithm>

namespace topoc::runtime {

const ComponentStats* RunResult::Find(std::string_view id) const {
  for (const auto& c : components) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::string HumanCount(double v) {
  char buf[32];
  if (v >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
  } else if (v >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.0fk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  }
  return buf;
}

int RunReport::AddComponent(std::string id, bool spout, int tasks) {
  ComponentStats s;
  s.id = std::move(id);
  s.spout = spout;
  s.tasks = tasks;
  result_.components.push_back(s);
  last_.push_back(s);
  return static_cast<int>(result_.components.size()) - 1;
}

void RunReport::Problem(const std::string& text) {
  ClearStatusLine();
  std::fprintf(console_, "topoc run: %s\n", text.c_str());
  std::fflush(console_);
  result_.problems.push_back(text);
}

void RunReport::StatusLine(double elapsed) {
  if (!status_line_) return;
  std::string line = "\r\033[K" + HumanCount(elapsed) + "s";
  for (size_t i = 0; i < result_.components.size(); ++i) {
    const ComponentStats& s = result_.components[i];
    ComponentStats& l = last_[i];
    line += "  " + s.id + " " + HumanCount(double(s.emitted - l.emitted)) + "/" +
            HumanCount(double(s.acked - l.acked)) + "/" + HumanCount(double(s.failed - l.failed));
    l = s;
  }
  line += "  (emitted/acked/failed per s)";
  std::fputs(line.c_str(), console_);
  std::fflush(console_);
  status_shown_ = true;
}

void RunReport::ClearStatusLine() {
  if (!status_shown_) return;
  std::fputs("\r\033[K", console_);
  status_shown_ = false;
}

void PrintSummary(const RunResult& result, FILE* out) {
  size_t width = 9;
  for (const auto& c : result.components) width = std::max(width, c.id.size());
  std::fprintf(out, "%-*s  %-5s %5s %10s %10s %10s %10s %8s\n", static_cast<int>(width), "component", "role", "tasks",
               "emitted", "executed", "acked", "failed", "restarts");
  for (const auto& c : result.components) {
    std::fprintf(out, "%-*s  %-5s %5d %10llu %10llu %10llu %10llu %8llu\n", static_cast<int>(width), c.id.c_str(),
                 c.spout ? "spout" : "bolt", c.tasks, static_cast<unsigned long long>(c.emitted),
                 static_cast<unsigned long long>(c.executed), static_cast<unsigned long long>(c.acked),
                 static_cast<unsigned long long>(c.failed), static_cast<unsigned long long>(c.restarts));
  }
  for (const auto& c : result.components) {
    if (c.metrics.empty()) continue;
    std::string line = "metrics of " + c.id + ":";
    for (const auto& [name, n] : c.metrics) line += " " + name + " " + std::to_string(n) + ",";
    line.back() = '\n';
    std::fputs(line.c_str(), out);
  }
  std::fprintf(out, "ran %.1f s, %llu tuples routed (%.0f/s), %zu problem(s)\n", result.seconds,
               static_cast<unsigned long long>(result.tuples_routed),
               result.seconds > 0 ? static_cast<double>(result.tuples_routed) / result.seconds : 0.0,
               result.problems.size());
}

}  // namespace topoc::runtime
