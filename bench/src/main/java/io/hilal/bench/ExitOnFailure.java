package io.hilal.bench;

/**
 * A benchmark whose main thread fails must end its JVM: the embedded database, the app and the
 * pools it started are non-daemon and would keep it running, holding the machine (and the lock
 * other benchmarks wait on) with no one watching.
 */
final class ExitOnFailure {
    private ExitOnFailure() {}

    /** Call first thing in {@code main}. */
    static void install() {
        Thread.currentThread()
                .setUncaughtExceptionHandler(
                        (thread, error) -> {
                            error.printStackTrace();
                            System.exit(1);
                        });
    }
}
