package io.hilal.worker.platform;

import com.codahale.metrics.health.HealthCheck;
import io.hilal.core.campaigns.sending.CampaignSender;
import java.util.List;

/**
 * This worker's view of the cluster: its own id, that it can reach the database (its heartbeat is a
 * write there), and the peers whose heartbeat stopped (their in-flight sends are recovered by a
 * live worker; their rows are removed after a while). A stale peer makes no worker unhealthy: it is
 * reported for the operator to look at.
 */
public final class WorkerHealthCheck extends HealthCheck {
    private final CampaignSender sender;

    public WorkerHealthCheck(CampaignSender sender) {
        this.sender = sender;
    }

    @Override
    protected Result check() {
        String self = sender.settings().workerId();
        List<String> stale;
        try {
            stale = sender.stalePeers();
        } catch (RuntimeException unreachable) {
            return Result.builder()
                    .unhealthy()
                    .withMessage(
                            "worker %s: database unreachable (%s)", self, rootName(unreachable))
                    .withDetail("workerId", self)
                    .build();
        }
        return Result.builder()
                .healthy()
                .withMessage(
                        stale.isEmpty()
                                ? "worker " + self
                                : "worker " + self + "; stale peers: " + String.join(", ", stale))
                .withDetail("workerId", self)
                .withDetail("stalePeers", stale)
                .build();
    }

    private static String rootName(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
