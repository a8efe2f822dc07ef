package io.hilal.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A coverage-guided fuzz run of event ingest: {@code POST /v1/events} and the Segment endpoints,
 * driven by Jazzer (libFuzzer's engine with Jazzer's coverage agent) for a fixed time. The target
 * ({@link IngestFuzzTarget}) posts each input to the real service started in the same JVM (loopback
 * HTTP, so the servlet filters, reader interceptors, authentication, resources, validation, storage
 * and exception mappers all run, and the server threads' coverage guides the fuzzer). What counts
 * as a finding is written in {@link IngestFuzzTarget}: a 5xx, an error that is not problem+json, a
 * 4xx after a write, or a stored event or customer outside the documented limits ({@link
 * IngestLimits}).
 *
 * <p>Run from the repository root: {@code bench/run IngestFuzz [SECONDS]} (default 60). The corpus
 * it grows is kept in {@code bench/target/ingest-fuzz/corpus} and reused by the next run; seeds are
 * written next to it; findings go to {@code bench/target/ingest-fuzz/} as {@code crash-*} inputs
 * with a Java reproducer, and listed at the end ("IngestFuzz: N distinct finding(s)"). Each finding
 * becomes a regression test in the service ({@code IngestFuzzFindingsIT}).
 */
public final class IngestFuzz {
    private IngestFuzz() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path folder = Path.of("bench", "target", "ingest-fuzz").toAbsolutePath();
        Path corpus = Files.createDirectories(folder.resolve("corpus"));
        Path seeds = Files.createDirectories(folder.resolve("seeds"));
        IngestFuzzSeeds.write(seeds);
        Path dictionary = folder.resolve("json.dict");
        Files.writeString(dictionary, IngestFuzzSeeds.dictionary(), StandardCharsets.UTF_8);
        List<String> jazzer = new ArrayList<>();
        // By name: the target's classes must load after Jazzer's agent, so that it instruments
        // them.
        jazzer.add("--target_class=io.hilal.bench.IngestFuzzTarget");
        // Coverage of our code and of the JSON parser; Jetty, Jersey and the driver are not the
        // subject and would only slow every run.
        jazzer.add("--instrumentation_includes=io.hilal.**:com.fasterxml.jackson.**");
        // The service talks to its database over TCP, and the database is a process started from
        // files: those bug detectors would take that for an attack. SQL, regex, reflection and
        // deserialization injection stay on.
        jazzer.add(
                "--disabled_hooks="
                        + String.join(
                                ":",
                                "com.code_intelligence.jazzer.sanitizers.ServerSideRequestForgery",
                                "com.code_intelligence.jazzer.sanitizers.FilePathTraversal",
                                "com.code_intelligence.jazzer.sanitizers.OsCommandInjection"));
        // Findings are collected for the whole budget, each distinct one once.
        jazzer.add("--keep_going=1000");
        jazzer.add("-max_total_time=" + seconds);
        jazzer.add("-max_len=40000");
        jazzer.add("-rss_limit_mb=0");
        jazzer.add("-timeout=30");
        jazzer.add("-print_final_stats=1");
        jazzer.add("-dict=" + dictionary);
        jazzer.add("-artifact_prefix=" + folder + "/");
        jazzer.add("--reproducer_path=" + folder);
        jazzer.add(corpus.toString());
        jazzer.add(seeds.toString());
        System.out.printf(
                "IngestFuzz: coverage-guided (Jazzer) for %d s; corpus %s%n", seconds, corpus);
        long started = System.currentTimeMillis();
        // Jazzer ends the JVM itself; the findings of this run are listed on the way out.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> printFindings(folder, started), "findings"));
        com.code_intelligence.jazzer.Jazzer.main(jazzer.toArray(String[]::new));
    }

    private static void printFindings(Path folder, long since) {
        try (var files = Files.list(folder)) {
            List<Path> findings =
                    files.filter(file -> file.getFileName().toString().startsWith("crash-"))
                            .filter(file -> file.toFile().lastModified() >= since)
                            .sorted()
                            .toList();
            System.out.printf(
                    "IngestFuzz: %d distinct finding(s) in this run%s%n",
                    findings.size(), findings.isEmpty() ? "" : ": " + findings);
        } catch (IOException e) {
            System.out.println("IngestFuzz: findings not listed: " + e);
        }
    }

    static void writeSeed(Path folder, String name, int route, String body) throws IOException {
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[json.length + 1];
        input[0] = (byte) route;
        System.arraycopy(json, 0, input, 1, json.length);
        Files.write(folder.resolve(name), input);
    }
}
