package io.hilal.worker.training;

import io.hilal.core.reco.TrainingService;
import java.time.Duration;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Records the failures of this worker's runs that failed while the database was unreachable (they
 * would stay RUNNING under its live heartbeat), takes back the runs of workers that died mid-run
 * (their heartbeat stopped), then hands queued training requests to this worker's bounded training
 * pool, as many as it has free threads. Never runs twice at once, so two polls cannot both see the
 * same free threads; the runs themselves go on in the pool, not in Quartz's threads, so training
 * never holds up campaign sends.
 */
@DisallowConcurrentExecution
public final class TrainingJob implements Job {
    private final TrainingService training;
    private final TrainingPool pool;
    private final String workerId;
    private final Duration heartbeatTimeout;
    private final Duration maxRuntime;

    public TrainingJob(
            TrainingService training,
            TrainingPool pool,
            String workerId,
            Duration heartbeatTimeout,
            Duration maxRuntime) {
        this.training = training;
        this.pool = pool;
        this.workerId = workerId;
        this.heartbeatTimeout = heartbeatTimeout;
        this.maxRuntime = maxRuntime;
    }

    @Override
    public void execute(JobExecutionContext context) {
        training.recordFailures();
        training.requeueLost(workerId, heartbeatTimeout, maxRuntime);
        training.dispatch(pool, pool.freeSlots(), workerId);
    }
}
