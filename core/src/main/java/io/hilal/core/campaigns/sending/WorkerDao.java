package io.hilal.core.campaigns.sending;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The sending workers' heartbeats: a SENDING row is its worker's own while the worker beats. */
public interface WorkerDao {
    @SqlUpdate(
            "INSERT INTO campaign_workers (worker_id, started_at, heartbeat_at) VALUES (:worker,"
                    + " :now, :now) ON DUPLICATE KEY UPDATE heartbeat_at = VALUES(heartbeat_at)")
    void heartbeat(@Bind("worker") String worker, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM campaign_workers WHERE heartbeat_at < :before")
    int forgetWorkers(@Bind("before") Instant before);

    @SqlUpdate("DELETE FROM campaign_workers WHERE worker_id = :worker")
    int forgetWorker(@Bind("worker") String worker);

    /** Workers whose last heartbeat is older than {@code cutoff}, the longest silent first. */
    @SqlQuery(
            "SELECT worker_id FROM campaign_workers WHERE heartbeat_at < :cutoff"
                    + " ORDER BY heartbeat_at LIMIT 100")
    List<String> staleWorkers(@Bind("cutoff") Instant cutoff);

    /** Workers whose last heartbeat is at {@code cutoff} or later, by id: the live ones. */
    @SqlQuery(
            "SELECT worker_id FROM campaign_workers WHERE heartbeat_at >= :cutoff"
                    + " ORDER BY worker_id")
    List<String> liveWorkers(@Bind("cutoff") Instant cutoff);
}
