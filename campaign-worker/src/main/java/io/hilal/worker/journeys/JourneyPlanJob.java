package io.hilal.worker.journeys;

import io.hilal.core.journeys.JourneyPlanner;
import io.hilal.core.pods.PodScopes;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Takes customers into journeys from the events received since the last firing, and out of them
 * when they order. One at a time across the cluster: entries are keyed, so two planners would only
 * repeat each other's work.
 */
@DisallowConcurrentExecution
public final class JourneyPlanJob implements Job {
    private final JourneyPlanner planner;
    private final PodScopes pods;

    public JourneyPlanJob(JourneyPlanner planner) {
        this(planner, PodScopes.single());
    }

    /** Over every pod, each tenant in its scope. */
    public JourneyPlanJob(JourneyPlanner planner, PodScopes pods) {
        this.planner = planner;
        this.pods = pods;
    }

    @Override
    public void execute(JobExecutionContext context) {
        planner.planDue(pods);
    }
}
