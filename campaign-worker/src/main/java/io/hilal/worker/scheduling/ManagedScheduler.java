package io.hilal.worker.scheduling;

import io.dropwizard.lifecycle.Managed;
import org.quartz.Scheduler;

/** Starts Quartz with the application and stops it, letting running jobs finish, on shutdown. */
public record ManagedScheduler(Scheduler scheduler, boolean autoStart) implements Managed {
    @Override
    public void start() throws Exception {
        if (autoStart) {
            scheduler.start();
        }
    }

    @Override
    public void stop() throws Exception {
        scheduler.shutdown(true);
    }
}
