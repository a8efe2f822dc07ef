package io.hilal.worker.training;

import io.hilal.core.reco.TrainingService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Queues a training run for every tenant whose models a retraining would change; {@link
 * TrainingJob} works through them.
 */
@DisallowConcurrentExecution
public final class NightlyTrainingJob implements Job {
    private final TrainingService training;

    public NightlyTrainingJob(TrainingService training) {
        this.training = training;
    }

    @Override
    public void execute(JobExecutionContext context) {
        training.requestForChangedTenants();
    }
}
