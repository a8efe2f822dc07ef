package io.hilal.worker.training;

import io.hilal.core.reco.TrainingService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Runs queued training requests. One at a time across the cluster, so training takes a bounded
 * share of the workers and one big tenant cannot starve the others' campaigns.
 */
@DisallowConcurrentExecution
public final class TrainingJob implements Job {
    private final TrainingService training;

    public TrainingJob(TrainingService training) {
        this.training = training;
    }

    @Override
    public void execute(JobExecutionContext context) {
        training.processPending();
    }
}
