package io.hilal.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU time used so far by this JVM (app, load generator, bench) and by its child processes (the
 * embedded MariaDB), in nanoseconds: where a benchmark's work goes, beside its rate, on a shared
 * machine.
 */
record CpuTime(long jvm, long database) {
    static CpuTime now() {
        long jvm =
                ((com.sun.management.OperatingSystemMXBean)
                                ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime();
        long database =
                ProcessHandle.current()
                        .descendants()
                        .mapToLong(
                                child ->
                                        child.info()
                                                .totalCpuDuration()
                                                .map(Duration::toNanos)
                                                .orElse(0L))
                        .sum();
        return new CpuTime(jvm, database);
    }

    /** What was used between {@code before} and now. */
    static CpuTime since(CpuTime before) {
        CpuTime now = now();
        return new CpuTime(now.jvm - before.jvm, now.database - before.database);
    }
}
