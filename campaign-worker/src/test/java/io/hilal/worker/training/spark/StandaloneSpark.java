package io.hilal.worker.training.spark;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Spark cluster on loopback for a test: a master and one worker, each a child JVM
 * started from the spark-trainer's jars, as {@code sbin/start-master.sh} and {@code
 * start-worker.sh} would. The worker launches executors the way a Spark distribution does, from
 * {@code $SPARK_HOME/jars}: here a temporary SPARK_HOME whose jars/ is a link to those jars.
 */
final class StandaloneSpark implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final String master;
    private final URI masterJson;

    StandaloneSpark(Path jars, Path dir, int cores, String memory) throws IOException {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createSymbolicLink(home.resolve("jars"), jars);
        int port = freePort();
        int ui = freePort();
        master = "spark://127.0.0.1:" + port;
        masterJson = URI.create("http://127.0.0.1:" + ui + "/json/");
        start(
                jars,
                home,
                dir.resolve("master.log"),
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--webui-port",
                Integer.toString(ui));
        start(
                jars,
                home,
                dir.resolve("worker.log"),
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(freePort()),
                "--webui-port",
                Integer.toString(freePort()),
                "--cores",
                Integer.toString(cores),
                "--memory",
                memory,
                "--work-dir",
                Files.createDirectories(dir.resolve("work")).toString(),
                master);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> status().contains("\"aliveworkers\" : 1"));
    }

    /** The master's URL, for a driver. */
    String master() {
        return master;
    }

    /** The master's status as its web UI serves it (applications, workers), as JSON. */
    String status() throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(masterJson).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private void start(Path jars, Path home, Path log, String main, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(SparkAls.currentJava());
        command.add("-Xmx256m");
        command.addAll(SparkAls.JAVA_OPTIONS);
        command.addAll(SparkShop.QUICK_JVM);
        command.add("-cp");
        command.add(jars + "/*");
        command.add(main);
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        // Spark's launcher otherwise looks for a source build's directories to learn it.
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        processes.add(builder.start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        // The worker first: it stops its executors as it goes.
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
