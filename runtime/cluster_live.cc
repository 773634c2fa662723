// The live view's side of the cluster (RunOptions::live): the errors kept
// per component and the snapshot handed to the sink about once a second.
#include <chrono>

#include "runtime/cluster.h"

namespace topoc::runtime::cluster {

namespace {

double WallNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void Cluster::NoteError(Comp* c, int task, const std::string& text) {
  if (!opt_.live) return;
  c->errors.push_back({WallNow(), task, text});
  if (c->errors.size() > kMaxLiveErrors) c->errors.pop_front();
}

void Cluster::PublishLive(double now, bool ended) {
  // Built on the routing thread and handed over whole: the sink never reads
  // the cluster's own state.
  auto snap = std::make_shared<RunSnapshot>();
  snap->uptime_secs = now - started_;
  snap->wall_time = WallNow();
  snap->stopping = stopping_;
  snap->ended = ended;
  snap->tuples_routed = report_.result().tuples_routed;
  snap->components.reserve(comps_.size());
  for (const auto& c : comps_) {
    ComponentSnapshot& cs = snap->components.emplace_back();
    cs.id = c->id;
    cs.spout = c->spout;
    cs.errors.assign(c->errors.begin(), c->errors.end());
    cs.tasks.reserve(c->tasks.size());
    for (Task* t : c->tasks) {
      t->proc->FlushLog();  // the page shows the log's tail
      TaskSnapshot& ts = cs.tasks.emplace_back();
      ts.id = t->id;
      ts.stats = t->live;
      switch (t->proc->state()) {
        case TaskProcess::State::kDown: ts.state = "down"; break;
        case TaskProcess::State::kHandshake: ts.state = "starting"; break;
        case TaskProcess::State::kRunning: ts.state = "running"; break;
      }
      if (!t->down()) {
        ts.pid = static_cast<int>(t->proc->child().pid);
        ts.uptime_secs = now - t->proc->started_at();
      }
      ts.log_file = (opt_.logs_dir / ("topoc_" + topo_.name + "_" + c->id + "_" + std::to_string(t->id) + ".log"))
                        .string();
    }
  }
  opt_.live->Publish(std::move(snap));
}

}  // namespace topoc::runtime::cluster
