package io.hilal.worker.training;

import io.hilal.core.reco.TrainingService;
import java.time.Duration;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Hands queued training requests to this worker's bounded training pool, as many as it has free
 * threads, and takes back runs whose worker died. Never runs twice at once, so two polls cannot
 * both see the same free threads; the runs themselves go on in the pool, not in Quartz's threads,
 * so training never holds up campaign sends.
 */
@DisallowConcurrentExecution
public final class TrainingJob implements Job {
    private final TrainingService training;
    private final TrainingPool pool;
    private final Duration maxRuntime;

    public TrainingJob(TrainingService training, TrainingPool pool, Duration maxRuntime) {
        this.training = training;
        this.pool = pool;
        this.maxRuntime = maxRuntime;
    }

    @Override
    public void execute(JobExecutionContext context) {
        training.requeueStale(maxRuntime);
        training.dispatch(pool, pool.freeSlots());
    }
}
