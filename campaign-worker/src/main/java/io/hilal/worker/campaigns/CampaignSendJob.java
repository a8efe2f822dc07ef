package io.hilal.worker.campaigns;

import io.hilal.core.campaigns.sending.CampaignSender;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * Recovers sends left in flight by dead workers, then sends what is due: a pass on whichever worker
 * the cluster fires it, besides the pass every worker runs on its own ({@link SendLoop}); a pass
 * asked for while that worker's own runs returns at once. (The demo's replay steps its clock by
 * this job's firings.)
 */
@DisallowConcurrentExecution
public final class CampaignSendJob implements Job {
    private final CampaignSender sender;

    public CampaignSendJob(CampaignSender sender) {
        this.sender = sender;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            sender.pass();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobExecutionException("interrupted while sending", e);
        }
    }
}
