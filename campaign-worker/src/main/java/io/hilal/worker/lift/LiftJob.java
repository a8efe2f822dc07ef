package io.hilal.worker.lift;

import io.hilal.core.lift.LiftReportService;
import io.hilal.core.pods.PodScopes;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes every lift report that can still change (windows still open, or closed since the last
 * report), storing one more point of each campaign's lift over time. Runs daily and whenever the
 * job is triggered on demand; one at a time across the cluster.
 */
@DisallowConcurrentExecution
public final class LiftJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(LiftJob.class);

    private final LiftReportService reports;
    private final PodScopes pods;

    public LiftJob(LiftReportService reports) {
        this(reports, PodScopes.single());
    }

    /** Over every pod, each campaign in its tenant's scope. */
    public LiftJob(LiftReportService reports, PodScopes pods) {
        this.reports = reports;
        this.pods = pods;
    }

    @Override
    public void execute(JobExecutionContext context) {
        int computed = reports.recomputeOpen(pods);
        LOG.info("Recomputed {} lift reports", computed);
    }
}
