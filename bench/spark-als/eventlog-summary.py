#!/usr/bin/env python3
# Where a Spark application spent its time, from its event log (spark.eventLog.dir, as written by
# `bench/spark-als/run trainers --event-log DIR`): per stage name the count, the sum of stage wall
# times and tasks; then the tasks' totals (run, deserialization, GC, shuffle).
# usage: bench/spark-als/eventlog-summary.py DIR/app-...
import json, sys, collections

for path in sys.argv[1:]:
    app_start = app_end = None
    stages = collections.OrderedDict()
    tasks = collections.defaultdict(lambda: collections.Counter())
    total = collections.Counter()
    for line in open(path):
        e = json.loads(line)
        ev = e["Event"]
        if ev == "SparkListenerApplicationStart": app_start = e["Timestamp"]
        elif ev == "SparkListenerApplicationEnd": app_end = e["Timestamp"]
        elif ev == "SparkListenerStageCompleted":
            s = e["Stage Info"]
            name = s["Stage Name"].split(" at ")[0] + " at " + s["Stage Name"].split(" at ")[-1] if " at " in s["Stage Name"] else s["Stage Name"]
            d = (s.get("Completion Time", 0) - s.get("Submission Time", 0)) / 1000
            st = stages.setdefault(name, [0, 0.0, 0])
            st[0] += 1; st[1] += d; st[2] += s["Number of Tasks"]
        elif ev == "SparkListenerTaskEnd":
            m = e.get("Task Metrics") or {}
            c = total
            c["run"] += m.get("Executor Run Time", 0)
            c["deser"] += m.get("Executor Deserialize Time", 0)
            c["gc"] += m.get("JVM GC Time", 0)
            c["result_ser"] += m.get("Result Serialization Time", 0)
            sr = m.get("Shuffle Read Metrics", {}); sw = m.get("Shuffle Write Metrics", {})
            c["fetch_wait"] += sr.get("Fetch Wait Time", 0)
            c["shuffle_write_ms"] += sw.get("Shuffle Write Time", 0) / 1e6
            c["shuffle_read_bytes"] += sr.get("Remote Bytes Read", 0) + sr.get("Local Bytes Read", 0)
            c["shuffle_write_bytes"] += sw.get("Shuffle Bytes Written", 0)
            c["tasks"] += 1
            c["task_wall"] += e["Task Info"]["Finish Time"] - e["Task Info"]["Launch Time"]
    print(path)
    if app_start and app_end: print("application span %.1f s" % ((app_end - app_start) / 1000))
    print("stages by name (count, sum of stage wall s, tasks):")
    for k, v in sorted(stages.items(), key=lambda kv: -kv[1][1]):
        print("  %-60s %4d %8.1f %6d" % (k[:60], v[0], v[1], v[2]))
    print("task totals (s): " + ", ".join("%s %.1f" % (k, total[k] / 1000) for k in ["task_wall", "run", "deser", "gc", "result_ser", "fetch_wait", "shuffle_write_ms"]))
    print("tasks %d, shuffle written %.0f MiB, read %.0f MiB" % (total["tasks"], total["shuffle_write_bytes"] / 2**20, total["shuffle_read_bytes"] / 2**20))
