package io.hilal.core.campaigns.sending;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the sending workers are alive: this worker's heartbeat, the peers whose heartbeat
 * stopped, and forgetting dead workers once their sends are recovered. A SENDING row is its
 * worker's own while the worker beats; recovery ({@link CampaignSender#recover}) takes the rows of
 * the workers that stopped.
 */
public final class WorkerLiveness {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLiveness.class);

    /** How long a dead worker's heartbeat row is kept (and reported as a stale peer). */
    public static final Duration DEAD_WORKER_RETENTION = Duration.ofHours(1);

    private final Jdbi jdbi;
    private final Clock clock;
    private final String workerId;
    private final Duration heartbeatTimeout;

    public WorkerLiveness(Jdbi jdbi, Clock clock, String workerId, Duration heartbeatTimeout) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.workerId = workerId;
        this.heartbeatTimeout = heartbeatTimeout;
    }

    /** Writes this process's heartbeat: its SENDING rows are its own while it beats. */
    public void heartbeat() {
        jdbi.useExtension(WorkerDao.class, dao -> dao.heartbeat(workerId, clock.instant()));
    }

    /**
     * Writes this process's heartbeat and says its share of a run's sends among the workers alive
     * now (see {@link SendPartition}), in one connection.
     */
    public SendPartition heartbeatAndShare() {
        return jdbi.withExtension(
                WorkerDao.class,
                dao -> {
                    Instant now = clock.instant();
                    dao.heartbeat(workerId, now);
                    return SendPartition.of(dao.liveWorkers(now.minus(heartbeatTimeout)), workerId);
                });
    }

    /**
     * Workers other than this one whose heartbeat stopped longer than the heartbeat timeout ago
     * (their rows stay, reported, for {@link #DEAD_WORKER_RETENTION}).
     */
    public List<String> stalePeers() {
        Instant cutoff = clock.instant().minus(heartbeatTimeout);
        return jdbi.withExtension(WorkerDao.class, dao -> dao.staleWorkers(cutoff)).stream()
                .filter(id -> !id.equals(workerId))
                .toList();
    }

    /**
     * Removes this process's heartbeat row, for a sender whose work is over: a worker stopping
     * gracefully ({@link CampaignSender#leave}), or the demo's replay, whose replayed clock would
     * leave a heartbeat years old on the dashboard's workers table. Any SENDING row it still holds
     * counts as a dead worker's from then on.
     */
    public void retire() {
        jdbi.useExtension(WorkerDao.class, dao -> dao.forgetWorker(workerId));
    }

    /**
     * Forgets the workers silent for over {@link #DEAD_WORKER_RETENTION} as of {@code now}: once
     * their sends are recovered (a missing row counts as dead), a dead worker's row is only a
     * report, named once in the log, then gone.
     */
    public void forgetDead(Instant now) {
        jdbi.useExtension(
                WorkerDao.class,
                dao -> {
                    Instant forgetBefore = now.minus(DEAD_WORKER_RETENTION);
                    List<String> dead = dao.staleWorkers(forgetBefore);
                    if (!dead.isEmpty() && dao.forgetWorkers(forgetBefore) > 0) {
                        LOG.warn(
                                "Forgot {} worker(s) silent for over {}: {}",
                                dead.size(),
                                DEAD_WORKER_RETENTION,
                                String.join(", ", dead));
                    }
                });
    }
}
