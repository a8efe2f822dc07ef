package io.hilal.core.reco;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface ModelDao {
    @SqlQuery(
            "SELECT COALESCE(MAX(version), 0) FROM model_versions"
                    + " WHERE tenant_id = :tenantId AND kind = :kind FOR UPDATE")
    int lastVersion(@Bind("tenantId") String tenantId, @Bind("kind") String kind);

    /** A version's row; its artifact goes in chunks ({@link #insertChunk}), in its transaction. */
    @SqlUpdate(
            "INSERT INTO model_versions (tenant_id, kind, version, trained_at, window_start,"
                    + " window_end, params, metrics, size_bytes, artifact) VALUES (:tenantId, :kind,"
                    + " :version, :trainedAt, :windowStart, :windowEnd, :params, :metrics, :sizeBytes,"
                    + " NULL)")
    void insert(
            @Bind("tenantId") String tenantId,
            @Bind("kind") String kind,
            @Bind("version") int version,
            @Bind("trainedAt") Instant trainedAt,
            @Bind("windowStart") Instant windowStart,
            @Bind("windowEnd") Instant windowEnd,
            @Bind("params") String params,
            @Bind("metrics") String metrics,
            @Bind("sizeBytes") long sizeBytes);

    @SqlUpdate(
            "INSERT INTO model_artifact_chunks (tenant_id, kind, version, seq, updated_at, data)"
                    + " VALUES (:tenantId, :kind, :version, :seq, :now, :data)")
    void insertChunk(
            @Bind("tenantId") String tenantId,
            @Bind("kind") String kind,
            @Bind("version") int version,
            @Bind("seq") int seq,
            @Bind("now") Instant now,
            @Bind("data") byte[] data);

    @SqlUpdate(
            "INSERT INTO active_models (tenant_id, kind, version, activated_at)"
                    + " VALUES (:tenantId, :kind, :version, :now)"
                    + " ON DUPLICATE KEY UPDATE version = VALUES(version),"
                    + " activated_at = VALUES(activated_at)")
    void activate(
            @Bind("tenantId") String tenantId,
            @Bind("kind") String kind,
            @Bind("version") int version,
            @Bind("now") Instant now);

    /** Stops serving any version of a kind (another kind took its place). */
    @SqlUpdate("DELETE FROM active_models WHERE tenant_id = :tenantId AND kind = :kind")
    void deactivate(@Bind("tenantId") String tenantId, @Bind("kind") String kind);

    @SqlQuery(
            "SELECT v.kind, v.version, v.trained_at, v.window_start, v.window_end, v.params,"
                    + " v.metrics, v.size_bytes, (a.version IS NOT NULL) AS active"
                    + " FROM model_versions v LEFT JOIN active_models a ON a.tenant_id = v.tenant_id"
                    + " AND a.kind = v.kind AND a.version = v.version"
                    + " WHERE v.tenant_id = :tenantId ORDER BY v.kind, v.version DESC")
    @RegisterConstructorMapper(ModelVersion.class)
    List<ModelVersion> list(@Bind("tenantId") String tenantId);

    /** The active version of each kind, for the serving cache to compare with what it holds. */
    @SqlQuery(
            "SELECT v.kind, v.version, v.trained_at, v.window_start, v.window_end, v.params,"
                    + " v.metrics, v.size_bytes, TRUE AS active FROM active_models a"
                    + " JOIN model_versions v ON v.tenant_id = a.tenant_id AND v.kind = a.kind"
                    + " AND v.version = a.version WHERE a.tenant_id = :tenantId")
    @RegisterConstructorMapper(ModelVersion.class)
    List<ModelVersion> active(@Bind("tenantId") String tenantId);

    /**
     * A version's size, and its artifact when it was stored in one row (before chunks); null {@code
     * artifact}: its chunks hold it.
     */
    @SqlQuery(
            "SELECT size_bytes, artifact FROM model_versions"
                    + " WHERE tenant_id = :tenantId AND kind = :kind AND version = :version")
    @RegisterConstructorMapper(Stored.class)
    Optional<Stored> stored(
            @Bind("tenantId") String tenantId,
            @Bind("kind") String kind,
            @Bind("version") int version);

    /**
     * What the nightly run asks of a tenant: when its newest finished training started (null: none
     * finished) and when its newest event was received (null: none). Both are index lookups.
     */
    record DataSince(Instant lastTrainingStarted, Instant lastEventReceived) {}

    @SqlQuery(
            "SELECT (SELECT MAX(started_at) FROM training_requests WHERE tenant_id = :tenantId"
                    + " AND status = 'DONE') AS last_training_started, (SELECT MAX(received_at)"
                    + " FROM events WHERE tenant_id = :tenantId) AS last_event_received")
    @RegisterConstructorMapper(DataSince.class)
    DataSince dataSince(@Bind("tenantId") String tenantId);

    /** A running experiment names the version as one of its arms. */
    String IN_RUNNING_EXPERIMENT =
            "EXISTS (SELECT 1 FROM model_experiments e WHERE e.tenant_id = v.tenant_id"
                    + " AND e.status = 'running' AND ((e.arm_a_kind = v.kind"
                    + " AND e.arm_a_version = v.version) OR (e.arm_b_kind = v.kind"
                    + " AND e.arm_b_version = v.version)))";

    /** Every stored version of the tenant with what keeps it: for {@link VersionRetention}. */
    @SqlQuery(
            "SELECT v.kind, v.version, v.size_bytes, (a.version IS NOT NULL) AS active, "
                    + IN_RUNNING_EXPERIMENT
                    + " AS in_experiment FROM model_versions v LEFT JOIN active_models a"
                    + " ON a.tenant_id = v.tenant_id AND a.kind = v.kind AND a.version = v.version"
                    + " WHERE v.tenant_id = :tenantId")
    @RegisterConstructorMapper(VersionRetention.Stored.class)
    List<VersionRetention.Stored> retained(@Bind("tenantId") String tenantId);

    /**
     * Locks a version's row for its deletion until the transaction ends; whether it is there. An
     * experiment being started on the version holds it shared ({@link #lockVersionShared}) until it
     * commits, so a deletion that locks first reads the experiment in its next statement.
     */
    @SqlQuery(
            "SELECT COUNT(*) > 0 FROM model_versions WHERE tenant_id = :tenantId AND kind = :kind"
                    + " AND version = :version FOR UPDATE")
    boolean lockVersion(
            @Bind("tenantId") String tenantId,
            @Bind("kind") String kind,
            @Bind("version") int version);

    /**
     * Locks a version's row shared until the transaction ends, so no deletion takes it meanwhile;
     * whether it is there (a deletion that went first has committed by the time this answers).
     */
    @SqlQuery(
            "SELECT COUNT(*) > 0 FROM model_versions WHERE tenant_id = :tenantId AND kind = :kind"
                    + " AND version = :version LOCK IN SHARE MODE")
    boolean lockVersionShared(
            @Bind("tenantId") String tenantId,
            @Bind("kind") String kind,
            @Bind("version") int version);

    /**
     * Deletes a version's row unless it is active or a running experiment's arm now (checked in the
     * statement, so a version activated or named since it was listed stays); returns 1 when
     * deleted. Its chunks go after it ({@link #deleteChunks}). Called after {@link #lockVersion} in
     * the same transaction, so that it also sees an experiment started meanwhile.
     */
    @SqlUpdate(
            "DELETE v FROM model_versions v WHERE v.tenant_id = :tenantId AND v.kind = :kind"
                    + " AND v.version = :version AND NOT EXISTS (SELECT 1 FROM active_models a"
                    + " WHERE a.tenant_id = v.tenant_id AND a.kind = v.kind"
                    + " AND a.version = v.version) AND NOT "
                    + IN_RUNNING_EXPERIMENT)
    int deleteVersion(
            @Bind("tenantId") String tenantId,
            @Bind("kind") String kind,
            @Bind("version") int version);

    /** Deletes up to {@code limit} chunks of a version whose row is gone; returns how many. */
    @SqlUpdate(
            "DELETE FROM model_artifact_chunks WHERE tenant_id = :tenantId AND kind = :kind"
                    + " AND version = :version ORDER BY seq LIMIT :limit")
    int deleteChunks(
            @Bind("tenantId") String tenantId,
            @Bind("kind") String kind,
            @Bind("version") int version,
            @Bind("limit") int limit);

    /** A kind and version: chunks left of a deleted version. */
    record KindVersion(String kind, int version) {}

    /**
     * The versions whose chunks outlived their row (a deletion cut short). A training's chunks are
     * written in the transaction of their row, so none of a run still storing shows here.
     */
    @SqlQuery(
            "SELECT DISTINCT c.kind, c.version FROM model_artifact_chunks c"
                    + " WHERE c.tenant_id = :tenantId AND NOT EXISTS (SELECT 1 FROM model_versions v"
                    + " WHERE v.tenant_id = c.tenant_id AND v.kind = c.kind"
                    + " AND v.version = c.version)")
    @RegisterConstructorMapper(KindVersion.class)
    List<KindVersion> orphanedChunks(@Bind("tenantId") String tenantId);

    /** A stored version's size and, if it predates chunks, its artifact. */
    record Stored(long sizeBytes, byte[] artifact) {}

    @SqlUpdate(
            "INSERT INTO training_requests (tenant_id, request_id, status, requested_at)"
                    + " VALUES (:tenantId, :requestId, 'PENDING', :now)")
    void requestTraining(
            @Bind("tenantId") String tenantId,
            @Bind("requestId") String requestId,
            @Bind("now") Instant now);

    /**
     * One pending request, oldest first, of a tenant none of whose runs is going on (so one tenant
     * never holds more than one training thread), locked so that no other worker takes it.
     */
    @SqlQuery(
            "SELECT r.tenant_id, r.request_id FROM training_requests r WHERE r.status = 'PENDING'"
                    + " AND NOT EXISTS (SELECT 1 FROM training_requests x"
                    + " WHERE x.tenant_id = r.tenant_id AND x.status = 'RUNNING')"
                    + " ORDER BY r.requested_at LIMIT 1 FOR UPDATE SKIP LOCKED")
    @RegisterConstructorMapper(TrainingRequest.class)
    Optional<TrainingRequest> nextPending();

    /** As {@link #nextPending}, of one tenant. */
    @SqlQuery(
            "SELECT r.tenant_id, r.request_id FROM training_requests r WHERE r.tenant_id = :tenantId"
                    + " AND r.status = 'PENDING' AND NOT EXISTS (SELECT 1 FROM training_requests x"
                    + " WHERE x.tenant_id = r.tenant_id AND x.status = 'RUNNING')"
                    + " ORDER BY r.requested_at LIMIT 1 FOR UPDATE SKIP LOCKED")
    @RegisterConstructorMapper(TrainingRequest.class)
    Optional<TrainingRequest> nextPendingOf(@Bind("tenantId") String tenantId);

    /** The tenants with a pending request, the longest waiting first. */
    @SqlQuery(
            "SELECT tenant_id FROM training_requests WHERE status = 'PENDING' GROUP BY tenant_id"
                    + " ORDER BY MIN(requested_at), tenant_id")
    List<String> pendingTenants();

    /** Marks a pending request running on {@code worker}. */
    @SqlUpdate(
            "UPDATE training_requests SET status = 'RUNNING', worker_id = :worker,"
                    + " started_at = :now WHERE tenant_id = :tenantId AND request_id = :requestId")
    void claim(
            @Bind("tenantId") String tenantId,
            @Bind("requestId") String requestId,
            @Bind("worker") String worker,
            @Bind("now") Instant now);

    /**
     * Locks a request still running on {@code worker}; false when it is not (another worker took it
     * over after this one's heartbeat stopped).
     */
    @SqlQuery(
            "SELECT COUNT(*) > 0 FROM training_requests WHERE tenant_id = :tenantId"
                    + " AND request_id = :requestId AND status = 'RUNNING' AND worker_id = :worker"
                    + " FOR UPDATE")
    boolean lockRunning(
            @Bind("tenantId") String tenantId,
            @Bind("requestId") String requestId,
            @Bind("worker") String worker);

    /**
     * Ends a run of {@code worker} DONE or FAILED; returns 0 when the worker no longer holds it.
     */
    @SqlUpdate(
            "UPDATE training_requests SET status = :status, finished_at = :now, error = :error"
                    + " WHERE tenant_id = :tenantId AND request_id = :requestId"
                    + " AND status = 'RUNNING' AND worker_id = :worker")
    int finish(
            @Bind("tenantId") String tenantId,
            @Bind("requestId") String requestId,
            @Bind("worker") String worker,
            @Bind("status") String status,
            @Bind("error") String error,
            @Bind("now") Instant now);

    /** A request that may not run (its tenant's training quota is used up): never started. */
    @SqlUpdate(
            "UPDATE training_requests SET status = 'REFUSED', finished_at = :now, error = :reason"
                    + " WHERE tenant_id = :tenantId AND request_id = :requestId")
    void refuse(
            @Bind("tenantId") String tenantId,
            @Bind("requestId") String requestId,
            @Bind("reason") String reason,
            @Bind("now") Instant now);

    /** The tenants with a run marked RUNNING. */
    @SqlQuery("SELECT DISTINCT tenant_id FROM training_requests WHERE status = 'RUNNING'")
    List<String> tenantsRunning();

    /**
     * The tenant's runs still RUNNING past the longest allowed run are queued again, whoever holds
     * them.
     */
    @SqlUpdate(
            "UPDATE training_requests SET status = 'PENDING', started_at = NULL, worker_id = NULL"
                    + " WHERE tenant_id = :tenantId AND status = 'RUNNING'"
                    + " AND started_at < :startedBefore")
    int requeueStale(
            @Bind("tenantId") String tenantId, @Bind("startedBefore") Instant startedBefore);

    /**
     * Queues again the runs of workers other than {@code self} whose heartbeat is older than {@code
     * cutoff} or gone (a dead worker's row is forgotten after a while). A run naming no worker
     * (claimed by a worker of an earlier version) is left to {@link #requeueStale}.
     */
    @SqlUpdate(
            "UPDATE training_requests r SET r.status = 'PENDING', r.started_at = NULL,"
                    + " r.worker_id = NULL WHERE r.tenant_id = :tenantId AND r.status = 'RUNNING'"
                    + " AND r.worker_id <> :self AND NOT EXISTS (SELECT 1 FROM campaign_workers w"
                    + " WHERE w.worker_id = r.worker_id AND w.heartbeat_at >= :cutoff)")
    int requeueOrphaned(
            @Bind("tenantId") String tenantId,
            @Bind("self") String self,
            @Bind("cutoff") Instant cutoff);

    @SqlQuery(
            "SELECT COUNT(*) > 0 FROM training_requests"
                    + " WHERE tenant_id = :tenantId AND status = 'PENDING'")
    boolean hasPending(@Bind("tenantId") String tenantId);

    @SqlQuery(
            "SELECT tenant_id, request_id, status, requested_at, started_at, finished_at, error"
                    + " FROM training_requests WHERE tenant_id = :tenantId"
                    + " ORDER BY requested_at DESC LIMIT :limit")
    @RegisterConstructorMapper(TrainingStatus.class)
    List<TrainingStatus> recentRequests(
            @Bind("tenantId") String tenantId, @Bind("limit") int limit);

    /** A request to train a tenant's models. */
    record TrainingRequest(String tenantId, String requestId) {}

    /** Where a training request is. */
    record TrainingStatus(
            String tenantId,
            String requestId,
            String status,
            Instant requestedAt,
            Instant startedAt,
            Instant finishedAt,
            String error) {}
}
