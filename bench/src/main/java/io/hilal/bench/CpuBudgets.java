package io.hilal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU budgets for a benchmark's processes through Linux cgroup v1's cpu controller (needs root and
 * {@code /sys/fs/cgroup/cpu}), so that several worker processes on one small shared machine each
 * behave as if on a machine of their own: each worker slot gets a hard quota of {@code cpus} of a
 * core (CFS quota over a 100 ms period) and a high weight, so the machine's other work cannot take
 * that budget from it; the "infrastructure" (the benchmark's own JVM with its SMTP sink, and the
 * database it started) gets a high weight and no quota, so it is not what limits the workers. The
 * groups are removed on {@link #close()}, and by a shutdown hook if the run fails first.
 */
final class CpuBudgets implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup/cpu");
    private static final long PERIOD_MICROS = 100_000;

    /** The highest weight cgroup v1 takes: 256 times a default process's. */
    private static final long HIGH_SHARES = 262_144;

    private final double cpus;
    private final String prefix;
    private final Map<String, Path> groups = new LinkedHashMap<>();
    private final Thread cleanup = new Thread(this::removeAll);

    private CpuBudgets(double cpus, String prefix) {
        this.cpus = cpus;
        this.prefix = prefix;
    }

    /**
     * Puts this JVM and every process it started so far (the embedded database) into a group of
     * high weight, and makes {@code workers} worker groups of {@code cpus} of a core each.
     */
    static CpuBudgets create(double cpus, int workers) {
        if (!Files.isWritable(ROOT.resolve("cgroup.procs"))) {
            throw new IllegalStateException(
                    "CPU budgets need cgroup v1's cpu controller at " + ROOT + " and root");
        }
        CpuBudgets budgets =
                new CpuBudgets(cpus, "hilal-send-" + ProcessHandle.current().pid() + "-");
        Runtime.getRuntime().addShutdownHook(budgets.cleanup);
        try {
            Path infra = budgets.group("infra");
            write(infra.resolve("cpu.shares"), Long.toString(HIGH_SHARES));
            budgets.move(infra, ProcessHandle.current().pid());
            ProcessHandle.current()
                    .descendants()
                    .forEach(process -> budgets.move(infra, process.pid()));
            for (int i = 1; i <= workers; i++) {
                Path worker = budgets.group("w" + i);
                write(worker.resolve("cpu.shares"), Long.toString(HIGH_SHARES));
                write(worker.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
                write(
                        worker.resolve("cpu.cfs_quota_us"),
                        Long.toString(Math.round(cpus * PERIOD_MICROS)));
            }
        } catch (RuntimeException e) {
            budgets.close();
            throw e;
        }
        return budgets;
    }

    double cpus() {
        return cpus;
    }

    /**
     * {@code command} run in worker slot {@code slot}'s group from its first instruction: a shell
     * moves itself into the group and then becomes the command (same process id), so the JVM sees
     * its budget as it starts.
     */
    List<String> inWorkerGroup(int slot, List<String> command) {
        Path procs = groups.get("w" + slot).resolve("cgroup.procs");
        List<String> wrapped = new ArrayList<>();
        wrapped.addAll(
                List.of(
                        "/bin/sh",
                        "-c",
                        "echo $$ > '" + procs + "' && exec \"$@\"",
                        "in-cpu-budget"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** How often worker slot {@code slot}'s group has been throttled so far (its cpu.stat). */
    long throttledPeriods(int slot) {
        return stat(groups.get("w" + slot), "nr_throttled");
    }

    /** How many quota periods worker slot {@code slot}'s group has been runnable in so far. */
    long periods(int slot) {
        return stat(groups.get("w" + slot), "nr_periods");
    }

    /** Every process of the infrastructure group: this JVM and the database. */
    List<ProcessHandle> infrastructure() {
        List<ProcessHandle> processes = new ArrayList<>();
        for (long pid : pids(groups.get("infra"))) {
            ProcessHandle.of(pid).ifPresent(processes::add);
        }
        return processes;
    }

    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // Already running as the hook.
        }
    }

    /** Moves every process left in the groups back to the root group and removes the groups. */
    private synchronized void removeAll() {
        for (Path group : groups.values()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.exists(group)) {
                for (long pid : pids(group)) {
                    try {
                        write(ROOT.resolve("cgroup.procs"), Long.toString(pid));
                    } catch (UncheckedIOException gone) {
                        // Exited meanwhile.
                    }
                }
                try {
                    Files.delete(group);
                } catch (IOException busy) {
                    if (System.nanoTime() > deadline) {
                        System.err.println("Could not remove cgroup " + group + ": " + busy);
                        break;
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        groups.clear();
    }

    private Path group(String name) {
        Path group = ROOT.resolve(prefix + name);
        try {
            Files.createDirectory(group);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        groups.put(name, group);
        return group;
    }

    private void move(Path group, long pid) {
        write(group.resolve("cgroup.procs"), Long.toString(pid));
    }

    private static List<Long> pids(Path group) {
        try {
            return Files.readAllLines(group.resolve("cgroup.procs")).stream()
                    .filter(line -> !line.isBlank())
                    .map(Long::parseLong)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long stat(Path group, String key) {
        try {
            for (String line : Files.readAllLines(group.resolve("cpu.stat"))) {
                String[] parts = line.split(" ");
                if (parts[0].equals(key)) {
                    return Long.parseLong(parts[1]);
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
