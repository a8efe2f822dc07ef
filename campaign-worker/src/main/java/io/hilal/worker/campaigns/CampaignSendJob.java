package io.hilal.worker.campaigns;

import io.hilal.core.campaigns.sending.CampaignSender;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * Recovers sends left in flight by dead workers, then sends what is due. One at a time across the
 * cluster: the ledger would keep two senders from doubling a send anyway, but one sender per firing
 * keeps the relay's connection count and the throttles simple.
 */
@DisallowConcurrentExecution
public final class CampaignSendJob implements Job {
    private final CampaignSender sender;

    public CampaignSendJob(CampaignSender sender) {
        this.sender = sender;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        sender.recover();
        try {
            sender.sendDue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobExecutionException("interrupted while sending", e);
        }
    }
}
