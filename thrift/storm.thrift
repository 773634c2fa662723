// topoc's own description of the Apache Storm Thrift interface.
//
// Written for topoc from the facts in shared/design/storm-facts.md §1 (see
// PROVENANCE): field ids, types and requiredness of everything topoc sends
// match Storm exactly, because Nimbus decodes our bytes with Storm's own
// generated Java classes. Only the structs and methods topoc needs are here;
// Thrift skips fields a reader does not know, so leaving the rest out is safe.
//
// Compatibility policy
//  * Topology-building structs (JavaObjectArg ... StateSpoutSpec) are
//    identical on the wire from Storm 0.9.0.1 to 3.0-SNAPSHOT; they are given
//    with Storm's requiredness.
//  * StormTopology gained optional fields 4..10 over time; the backend sets
//    them only for Storm versions that have them.
//  * Structs that topoc only READS from Nimbus (ClusterSummary,
//    TopologySummary, SupervisorSummary, NimbusSummary, TopologyInfo and its
//    pieces) make every field `optional` whose presence differs between
//    0.9, 1.x and 2.x. A generated reader throws on a missing `required`
//    field, so marking such a field required would make topoc fail against
//    an older (or newer) Nimbus. Fields present in every version keep
//    `required`. Optional on our side never changes the bytes Storm writes.
//  * Executor statistics (ExecutorStats and its pieces, for `topoc stats`)
//    are declared with Storm's field ids; ExecutorStats.rate (required since
//    0.10, absent in 0.9) is optional here. DebugOptions and the other
//    nested structs topoc does not read are not declared: a reader skips
//    unknown field ids.

namespace cpp topoc.storm

// ---------------------------------------------------------------------------
// Topology structs (wire-identical in all Storm versions)
// ---------------------------------------------------------------------------

// One constructor argument of a JavaObject; exactly one member is set.
// Storm looks up a constructor with the boxed types Integer, Long, String,
// Boolean, ByteBuffer, Double (exact match).
union JavaObjectArg {
  1: i32 int_arg;
  2: i64 long_arg;
  3: string string_arg;
  4: bool bool_arg;
  5: binary binary_arg;
  6: double double_arg;
}

// A Java object the worker builds by reflection.
struct JavaObject {
  1: required string full_class_name;
  2: required list<JavaObjectArg> args_list;
}

struct NullStruct {
}

struct GlobalStreamId {
  1: required string componentId;
  2: required string streamId;
}

// How a bolt subscribes to a stream; exactly one member is set.
// There is no "global" member: global grouping is `fields` with an empty list.
union Grouping {
  1: list<string> fields;        // fields grouping; [] = global grouping
  2: NullStruct shuffle;
  3: NullStruct all;             // every task gets every tuple
  4: NullStruct none;            // "don't care": a random task
  5: NullStruct direct;          // the producer picks the task (emitDirect)
  6: JavaObject custom_object;   // CustomStreamGrouping built by reflection
  7: binary custom_serialized;   // Java-serialized CustomStreamGrouping
  8: NullStruct local_or_shuffle;
}

// One declared output stream of a component.
struct StreamInfo {
  1: required list<string> output_fields;
  2: required bool direct;
}

// A multilang component: the worker runs exactly the two-element argv
// [execution_command, script], without a shell, in the topology jar's
// extracted resources/ directory. Both must be set.
struct ShellComponent {
  1: string execution_command;
  2: string script;
}

// What to run for a spout or bolt; exactly one member is set.
union ComponentObject {
  1: binary serialized_java;    // needs a JVM to produce; topoc never sets it
  2: ShellComponent shell;
  3: JavaObject java_object;
}

struct ComponentCommon {
  1: required map<GlobalStreamId, Grouping> inputs;
  2: required map<string, StreamInfo> streams;  // key = stream id
  3: optional i32 parallelism_hint;             // unset means 1
  4: optional string json_conf;                 // JSON object: per-component conf
}

struct SpoutSpec {
  1: required ComponentObject spout_object;
  2: required ComponentCommon common;
}

struct Bolt {
  1: required ComponentObject bolt_object;
  2: required ComponentCommon common;
}

// Declared by Storm but "not implemented yet"; topoc always sends an empty map.
struct StateSpoutSpec {
  1: required ComponentObject state_spout_object;
  2: required ComponentCommon common;
}

// Storm 2.0+.
struct SharedMemory {
  1: required string name;
  2: optional double on_heap;
  3: optional double off_heap_worker;
  4: optional double off_heap_node;
}

struct StormTopology {
  1: required map<string, SpoutSpec> spouts;
  2: required map<string, Bolt> bolts;
  3: required map<string, StateSpoutSpec> state_spouts;  // always send {}
  4: optional list<binary> worker_hooks;                 // 1.0.0+
  5: optional list<string> dependency_jars;              // 1.1.0+
  6: optional list<string> dependency_artifacts;         // 1.1.0+
  7: optional string storm_version;                      // 1.2.0+
  8: optional string jdk_version;                        // 1.2.0+
  9: optional map<string, set<string>> component_to_shared_memory;  // 2.0.0+
  10: optional map<string, SharedMemory> shared_memory;  // 2.0.0+
}

// ---------------------------------------------------------------------------
// Exceptions (one required message in every version)
// ---------------------------------------------------------------------------

exception AlreadyAliveException {
  1: required string msg;
}

exception NotAliveException {
  1: required string msg;
}

exception InvalidTopologyException {
  1: required string msg;
}

// Storm 0.10.0+ (and 0.9.2-incubating-security). Older servers never send it.
exception AuthorizationException {
  1: required string msg;
}

// ---------------------------------------------------------------------------
// Submission and control
// ---------------------------------------------------------------------------

enum TopologyInitialStatus {
  ACTIVE = 1,
  INACTIVE = 2
}

// Storm 0.10+.
struct Credentials {
  1: required map<string, string> creds;
  2: optional string topoOwner;                          // 2.0+
}

struct SubmitOptions {
  1: required TopologyInitialStatus initial_status;
  2: optional Credentials creds;                         // 0.10+
}

struct KillOptions {
  1: optional i32 wait_secs;  // unset: the topology's message timeout
}

struct RebalanceOptions {
  1: optional i32 wait_secs;
  2: optional i32 num_workers;
  3: optional map<string, i32> num_executors;
  4: optional map<string, map<string, double>> topology_resources_overrides;  // 2.0+
  5: optional string topology_conf_overrides;            // 2.0+
  6: optional string principal;                          // 2.0+, ignored from users
}

// ---------------------------------------------------------------------------
// Cluster queries (read-only for topoc; see the compatibility policy above)
// ---------------------------------------------------------------------------

struct TopologySummary {
  1: required string id;
  2: required string name;
  3: required i32 num_tasks;
  4: required i32 num_executors;
  5: required i32 num_workers;
  6: required i32 uptime_secs;
  7: required string status;  // ACTIVE, INACTIVE, KILLED, REBALANCING
  8: optional string storm_version;                     // 2.0+
  9: optional string topology_version;                  // 2.0+
  513: optional string sched_status;                    // 0.10+
  514: optional string owner;                           // 0.10+
  515: optional i32 replication_count;                  // 1.0+
  521: optional double requested_memonheap;             // 1.0+
  522: optional double requested_memoffheap;            // 1.0+
  523: optional double requested_cpu;                   // 1.0+
  524: optional double assigned_memonheap;              // 1.0+
  525: optional double assigned_memoffheap;             // 1.0+
  526: optional double assigned_cpu;                    // 1.0+
  527: optional map<string, double> requested_generic_resources;  // 2.2+
  528: optional map<string, double> assigned_generic_resources;   // 2.2+
}

struct SupervisorSummary {
  1: required string host;
  2: required i32 uptime_secs;
  3: required i32 num_workers;
  4: required i32 num_used_workers;
  5: required string supervisor_id;
  6: optional string version;                           // 0.10+
  7: optional map<string, double> total_resources;      // 1.0+
  8: optional double used_mem;                          // 1.0+
  9: optional double used_cpu;                          // 1.0+
  10: optional double fragmented_mem;                   // 2.0+
  11: optional double fragmented_cpu;                   // 2.0+
  12: optional bool blacklisted;                        // 2.0+
  13: optional map<string, double> used_generic_resources;  // 2.2+
}

// Storm 1.0+. All five first fields are required in Storm; they are kept
// required because the struct only exists where they all exist.
struct NimbusSummary {
  1: required string host;
  2: required i32 port;
  3: required i32 uptime_secs;
  4: required bool isLeader;
  5: required string version;
  6: optional i32 tlsPort;                              // 2.7+
}

struct ClusterSummary {
  1: required list<SupervisorSummary> supervisors;
  // Required in 0.9/0.10, optional in 1.x, removed in 2.0: optional here.
  2: optional i32 nimbus_uptime_secs;
  3: required list<TopologySummary> topologies;
  // Required in Storm 1.0+, absent before: optional here so a 0.9/0.10
  // Nimbus can still be listed.
  4: optional list<NimbusSummary> nimbuses;
}

struct ExecutorInfo {
  1: required i32 task_start;
  2: required i32 task_end;
}

// Executor statistics. Every map is keyed first by the time window: "600",
// "10800", "86400" (seconds) or ":all-time"; then by stream id (spouts,
// emitted, transferred) or by the input stream (bolts).
struct BoltStats {
  1: required map<string, map<GlobalStreamId, i64>> acked;
  2: required map<string, map<GlobalStreamId, i64>> failed;
  3: required map<string, map<GlobalStreamId, double>> process_ms_avg;
  4: required map<string, map<GlobalStreamId, i64>> executed;
  5: required map<string, map<GlobalStreamId, double>> execute_ms_avg;
}

struct SpoutStats {
  1: required map<string, map<string, i64>> acked;
  2: required map<string, map<string, i64>> failed;
  3: required map<string, map<string, double>> complete_ms_avg;
}

// Exactly one member is set.
union ExecutorSpecificStats {
  1: BoltStats bolt;
  2: SpoutStats spout;
}

struct ExecutorStats {
  1: required map<string, map<string, i64>> emitted;
  2: required map<string, map<string, i64>> transferred;
  3: required ExecutorSpecificStats specific;
  // Required in Storm 0.10+, absent in 0.9: optional here.
  4: optional double rate;
}

struct ExecutorSummary {
  1: required ExecutorInfo executor_info;
  2: required string component_id;
  3: required string host;
  4: required i32 port;
  5: required i32 uptime_secs;
  7: optional ExecutorStats stats;   // unset until the executor has reported
}

struct ErrorInfo {
  1: required string error;
  2: required i32 error_time_secs;
  3: optional string host;                              // 0.9.x later releases
  4: optional i32 port;                                 // 0.9.x later releases
}

// Field 7 (component_debug, map<string, DebugOptions>) is not declared; skipped.
struct TopologyInfo {
  1: required string id;
  2: required string name;
  3: required i32 uptime_secs;
  4: required list<ExecutorSummary> executors;
  5: required string status;
  6: required map<string, list<ErrorInfo>> errors;
  8: optional string storm_version;                     // 2.0+
  513: optional string sched_status;                    // 0.10+
  514: optional string owner;                           // 0.10+
  515: optional i32 replication_count;                  // 1.0+
  521: optional double requested_memonheap;             // 1.0+
  522: optional double requested_memoffheap;            // 1.0+
  523: optional double requested_cpu;                   // 1.0+
  524: optional double assigned_memonheap;              // 1.0+
  525: optional double assigned_memoffheap;             // 1.0+
  526: optional double assigned_cpu;                    // 1.0+
}

// ---------------------------------------------------------------------------
// Nimbus (framed transport + binary protocol on port 6627; each request
// frame must fit nimbus.thrift.max_buffer_size, 1 MiB by default)
// ---------------------------------------------------------------------------

service Nimbus {
  void submitTopology(1: string name, 2: string uploadedJarLocation,
                      3: string jsonConf, 4: StormTopology topology)
    throws (1: AlreadyAliveException e, 2: InvalidTopologyException ite,
            3: AuthorizationException aze);

  void submitTopologyWithOpts(1: string name, 2: string uploadedJarLocation,
                              3: string jsonConf, 4: StormTopology topology,
                              5: SubmitOptions options)
    throws (1: AlreadyAliveException e, 2: InvalidTopologyException ite,
            3: AuthorizationException aze);

  void killTopology(1: string name)
    throws (1: NotAliveException e, 2: AuthorizationException aze);

  void killTopologyWithOpts(1: string name, 2: KillOptions options)
    throws (1: NotAliveException e, 2: AuthorizationException aze);

  void activate(1: string name)
    throws (1: NotAliveException e, 2: AuthorizationException aze);

  void deactivate(1: string name)
    throws (1: NotAliveException e, 2: AuthorizationException aze);

  void rebalance(1: string name, 2: RebalanceOptions options)
    throws (1: NotAliveException e, 2: InvalidTopologyException ite,
            3: AuthorizationException aze);

  // Returns the server-side path to pass to uploadChunk/finishFileUpload.
  string beginFileUpload() throws (1: AuthorizationException aze);

  void uploadChunk(1: string location, 2: binary chunk)
    throws (1: AuthorizationException aze);

  void finishFileUpload(1: string location)
    throws (1: AuthorizationException aze);

  // Nimbus's configuration as a JSON object.
  string getNimbusConf() throws (1: AuthorizationException aze);

  ClusterSummary getClusterInfo() throws (1: AuthorizationException aze);

  // `id` is the topology id (name-counter-timestamp), not its name.
  TopologyInfo getTopologyInfo(1: string id)
    throws (1: NotAliveException e, 2: AuthorizationException aze);

  // Storm 2.3.0+: the same as getTopologyInfo, by name. An older Nimbus
  // answers with TApplicationException (unknown method); topoc then looks
  // the id up with getClusterInfo.
  TopologyInfo getTopologyInfoByName(1: string name)
    throws (1: NotAliveException e, 2: AuthorizationException aze);

  // Storm 1.1.0+: name is valid and no topology of that name is alive.
  // An older Nimbus answers with TApplicationException (unknown method).
  bool isTopologyNameAllowed(1: string name)
    throws (1: AuthorizationException aze);
}
