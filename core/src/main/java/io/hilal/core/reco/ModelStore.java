package io.hilal.core.reco;

import io.hilal.core.error.RateLimitedException;
import io.hilal.core.tenant.TenantQuotaDao;
import io.hilal.core.tenant.TenantQuotas;
import io.hilal.core.tenant.TrainingQuota;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.result.ResultIterator;

/**
 * Versioned model artifacts per tenant and kind. Saving adds a version; activating points the
 * served version at it in one row update, so readers see the old model or the new one, never a mix.
 */
public final class ModelStore {
    private final Jdbi jdbi;
    private final Jdbi home;
    private final Clock clock;

    /** One database holds the tenants' data and the operator's quotas. */
    public ModelStore(Jdbi jdbi, Clock clock) {
        this(jdbi, jdbi, clock);
    }

    /**
     * {@code jdbi}: the tenants' data, routed to each tenant's pod; {@code home}: the home
     * database, the only one whose {@code tenant_quotas} holds the operator's quotas.
     */
    public ModelStore(Jdbi jdbi, Jdbi home, Clock clock) {
        this.jdbi = jdbi;
        this.home = home;
        this.clock = clock;
    }

    /**
     * A trained artifact to store, with what it was trained on and how well it did offline. {@code
     * artifact} writes it: a large model straight into the store's chunks, as it is encoded.
     */
    public record Trained(
            String kind,
            Instant windowStart,
            Instant windowEnd,
            String paramsJson,
            String metricsJson,
            Artifact artifact) {
        /** An artifact encoded already. */
        public Trained(
                String kind,
                Instant windowStart,
                Instant windowEnd,
                String paramsJson,
                String metricsJson,
                byte[] artifact) {
            this(kind, windowStart, windowEnd, paramsJson, metricsJson, Artifact.of(artifact));
        }
    }

    /** Writes an artifact's bytes to a stream, and closes it. */
    @FunctionalInterface
    public interface Artifact {
        void writeTo(OutputStream out) throws IOException;

        static Artifact of(byte[] bytes) {
            return out -> {
                try (out) {
                    out.write(bytes);
                }
            };
        }
    }

    /** Stores a new version and makes it the active one; returns its version number. */
    public int saveAndActivate(String tenantId, Trained trained) {
        return saveAndActivate(tenantId, trained, java.util.Set.of());
    }

    /**
     * Stores a new version, makes it the active one and stops serving the kinds in {@code
     * replacing}, in one transaction: readers see the old kind or the new one, never both or none.
     */
    public int saveAndActivate(String tenantId, Trained trained, java.util.Set<String> replacing) {
        return jdbi.inTransaction(
                handle -> save(handle.attach(ModelDao.class), tenantId, trained, replacing));
    }

    /** A trained model to store and activate, and the kinds it stops serving. */
    public record Activation(Trained trained, java.util.Set<String> replacing) {}

    /**
     * Stores and activates one training run's models in one transaction; returns their versions in
     * the order given.
     */
    public List<Integer> saveAndActivate(String tenantId, List<Activation> activations) {
        return jdbi.inTransaction(
                handle -> saveAll(handle.attach(ModelDao.class), tenantId, activations));
    }

    private List<Integer> saveAll(ModelDao models, String tenantId, List<Activation> activations) {
        List<Integer> versions = new java.util.ArrayList<>();
        for (Activation activation : activations) {
            versions.add(save(models, tenantId, activation.trained(), activation.replacing()));
        }
        return List.copyOf(versions);
    }

    /**
     * Stores and activates one training run's models and ends the run DONE, in one transaction, if
     * {@code worker} still holds the run; returns the versions in the order given, or empty (and
     * stores nothing) when another worker took the run over. A worker killed before the commit
     * leaves the models that were active active and the run RUNNING, for another worker to redo
     * once this one's heartbeat has stopped; a worker that lost its run for a while (its heartbeat
     * could not reach the database) stores nothing, so the run's new models come from one worker.
     */
    public Optional<List<Integer>> finishWithModels(
            ModelDao.TrainingRequest request, String worker, List<Activation> activations) {
        return jdbi.inTransaction(
                handle -> {
                    ModelDao models = handle.attach(ModelDao.class);
                    String tenantId = request.tenantId();
                    if (!models.lockRunning(tenantId, request.requestId(), worker)) {
                        return Optional.<List<Integer>>empty();
                    }
                    List<Integer> versions = saveAll(models, tenantId, activations);
                    models.finish(
                            tenantId, request.requestId(), worker, "DONE", null, clock.instant());
                    return Optional.of(versions);
                });
    }

    private int save(
            ModelDao models, String tenantId, Trained trained, java.util.Set<String> replacing) {
        int version = models.lastVersion(tenantId, trained.kind()) + 1;
        Instant now = clock.instant();
        // In chunks, as it is encoded: one row could not hold more than the server's
        // max_allowed_packet, nor a byte array more than 2 GiB. The version's row follows them, in
        // the same transaction, with their size.
        ArtifactChunks.Output chunks =
                ArtifactChunks.output(
                        ArtifactChunks.CHUNK_BYTES,
                        (seq, chunk) ->
                                models.insertChunk(
                                        tenantId, trained.kind(), version, seq, now, chunk));
        try (chunks) {
            trained.artifact().writeTo(chunks);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not write the " + trained.kind() + " artifact", e);
        }
        models.insert(
                tenantId,
                trained.kind(),
                version,
                now,
                trained.windowStart(),
                trained.windowEnd(),
                trained.paramsJson(),
                trained.metricsJson(),
                chunks.written());
        models.activate(tenantId, trained.kind(), version, now);
        for (String kind : replacing) {
            if (!kind.equals(trained.kind())) {
                models.deactivate(tenantId, kind);
            }
        }
        return version;
    }

    public List<ModelVersion> versions(String tenantId) {
        return jdbi.onDemand(ModelDao.class).list(tenantId);
    }

    public List<ModelVersion> active(String tenantId) {
        return jdbi.onDemand(ModelDao.class).active(tenantId);
    }

    /** A stored version's artifact, whole; {@link #readArtifact} decodes one without that copy. */
    public Optional<byte[]> artifact(String tenantId, String kind, int version) {
        return readArtifact(
                tenantId,
                kind,
                version,
                (in, size) -> {
                    byte[] bytes = in.readNBytes(Math.toIntExact(size));
                    if (in.read() >= 0) {
                        throw new IOException("artifact longer than its " + size + " bytes");
                    }
                    return bytes;
                });
    }

    /** Decodes an artifact from a stream of its {@code size} bytes. */
    @FunctionalInterface
    public interface ArtifactReader<T> {
        T read(InputStream in, long size) throws IOException;
    }

    /**
     * Decodes a stored version's artifact as it streams from the database, a chunk in memory at a
     * time, or empty when there is no such version. An artifact stored before chunks (in its
     * version's row) is read from there. A damaged artifact (chunks missing or extra) fails with an
     * {@link IllegalArgumentException}, as a corrupt one does.
     */
    public <T> Optional<T> readArtifact(
            String tenantId, String kind, int version, ArtifactReader<T> reader) {
        return jdbi.withHandle(
                handle -> {
                    Optional<ModelDao.Stored> stored =
                            handle.attach(ModelDao.class).stored(tenantId, kind, version);
                    if (stored.isEmpty()) {
                        return Optional.<T>empty();
                    }
                    if (stored.get().artifact() != null) {
                        byte[] bytes = stored.get().artifact();
                        return Optional.of(
                                decode(reader, new ByteArrayInputStream(bytes), bytes.length));
                    }
                    try (ResultIterator<byte[]> chunks =
                            handle.createQuery(
                                            "SELECT data FROM model_artifact_chunks"
                                                    + " WHERE tenant_id = :tenantId AND kind = :kind"
                                                    + " AND version = :version ORDER BY seq")
                                    .bind("tenantId", tenantId)
                                    .bind("kind", kind)
                                    .bind("version", version)
                                    // Streamed: the driver holds one row at a time, not all.
                                    .setFetchSize(Integer.MIN_VALUE)
                                    .mapTo(byte[].class)
                                    .iterator()) {
                        long size = stored.get().sizeBytes();
                        return Optional.of(decode(reader, ArtifactChunks.join(chunks, size), size));
                    }
                });
    }

    private static <T> T decode(ArtifactReader<T> reader, InputStream in, long size) {
        try {
            return reader.read(in, size);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable artifact: " + e.getMessage(), e);
        }
    }

    /**
     * Throws 429 (retry after the next UTC midnight) when the tenant's runs started today took its
     * training-time quota: for the API, so the tenant hears it at once rather than from a refused
     * request later.
     */
    public void requireTrainingTimeLeft(String tenantId) {
        Long quota = trainingQuota(tenantId);
        if (quota == null) {
            return;
        }
        Instant now = clock.instant();
        jdbi.useHandle(
                handle -> {
                    Optional<String> refusal = trainingRefusal(handle, tenantId, quota, now);
                    if (refusal.isPresent()) {
                        throw new RateLimitedException(
                                "training_quota_exceeded",
                                refusal.get(),
                                TrainingQuota.secondsUntilTomorrow(now));
                    }
                });
    }

    /**
     * The tenant's training-time quota (null: none): the operator's, at home, read before a handle
     * on the tenant's pod is opened, so that no caller holds two connections at once.
     */
    private Long trainingQuota(String tenantId) {
        return home.withExtension(TenantQuotaDao.class, dao -> dao.find(tenantId))
                .map(TenantQuotas::trainingSecondsPerDay)
                .orElse(null);
    }

    /** Why the tenant may not start a training run now, if its quota is used up today. */
    private static Optional<String> trainingRefusal(
            Handle handle, String tenantId, Long quota, Instant now) {
        if (quota == null) {
            return Optional.empty();
        }
        // The runs the quota counts are the tenant's, in its pod.
        double used =
                handle.attach(TenantQuotaDao.class)
                        .trainingSecondsSince(tenantId, TrainingQuota.dayStart(now), now);
        return TrainingQuota.mayStart(quota, used)
                ? Optional.empty()
                : Optional.of(TrainingQuota.refusal(quota, used));
    }

    /** Queues a training run for the worker; returns the request id. */
    public String requestTraining(String tenantId) {
        String requestId = "trn_" + java.util.UUID.randomUUID().toString().replace("-", "");
        jdbi.onDemand(ModelDao.class).requestTraining(tenantId, requestId, clock.instant());
        return requestId;
    }

    /**
     * Whether the nightly run retrains the tenant: it never finished a training, received events
     * since, or its newest training's trending row counts sales that age out ({@link
     * NightlyTraining#due}).
     */
    public boolean dueForNightlyTraining(String tenantId) {
        ModelDao.DataSince since = jdbi.onDemand(ModelDao.class).dataSince(tenantId);
        return NightlyTraining.due(since.lastTrainingStarted(), since.lastEventReceived());
    }

    /** Queues a run unless one is already waiting; returns whether it queued one. */
    public boolean requestTrainingOnce(String tenantId) {
        if (jdbi.onDemand(ModelDao.class).hasPending(tenantId)) {
            return false;
        }
        requestTraining(tenantId);
        return true;
    }

    /**
     * Queues again the runs still marked running after {@code maxRuntime}, whoever holds them: a
     * backstop for a run whose worker lives on but whose thread hangs.
     */
    public int requeueStale(String tenantId, java.time.Duration maxRuntime) {
        return jdbi.onDemand(ModelDao.class)
                .requeueStale(tenantId, clock.instant().minus(maxRuntime));
    }

    /** The tenants with a training run marked running (in the scope's database). */
    public List<String> tenantsRunning() {
        return jdbi.onDemand(ModelDao.class).tenantsRunning();
    }

    /**
     * Queues again the runs of workers other than {@code self} whose heartbeat stopped more than
     * {@code heartbeatTimeout} ago: they were killed or lost the database mid-run.
     */
    public int requeueOrphaned(String tenantId, String self, java.time.Duration heartbeatTimeout) {
        return jdbi.onDemand(ModelDao.class)
                .requeueOrphaned(tenantId, self, clock.instant().minus(heartbeatTimeout));
    }

    public List<ModelDao.TrainingStatus> recentTraining(String tenantId) {
        return jdbi.onDemand(ModelDao.class).recentRequests(tenantId, 10);
    }

    /**
     * Takes the oldest pending request and marks it running on {@code worker}, in one transaction;
     * concurrent workers skip each other's locked rows. A request of a tenant whose training-time
     * quota is used up today ends REFUSED with the reason instead, and the next one is taken.
     */
    public Optional<ModelDao.TrainingRequest> claimNextTraining(String worker) {
        return jdbi.inTransaction(
                handle -> {
                    ModelDao models = handle.attach(ModelDao.class);
                    Instant now = clock.instant();
                    for (Optional<ModelDao.TrainingRequest> next = models.nextPending();
                            next.isPresent();
                            next = models.nextPending()) {
                        ModelDao.TrainingRequest request = next.get();
                        Optional<String> refusal =
                                trainingRefusal(
                                        handle,
                                        request.tenantId(),
                                        // One database here (the pod-aware claim is the
                                        // one below): its quotas are in this handle's.
                                        handle.attach(TenantQuotaDao.class)
                                                .find(request.tenantId())
                                                .map(TenantQuotas::trainingSecondsPerDay)
                                                .orElse(null),
                                        now);
                        if (refusal.isEmpty()) {
                            models.claim(request.tenantId(), request.requestId(), worker, now);
                            return next;
                        }
                        models.refuse(request.tenantId(), request.requestId(), refusal.get(), now);
                    }
                    return Optional.<ModelDao.TrainingRequest>empty();
                });
    }

    /** The tenants with a pending training request, the longest waiting first. */
    public List<String> pendingTenants() {
        return jdbi.onDemand(ModelDao.class).pendingTenants();
    }

    /**
     * As {@link #claimNextTraining(String)}, among the requests of one tenant: a worker over
     * several pods lists the tenants waiting in each pod, then claims in each tenant's scope.
     */
    public Optional<ModelDao.TrainingRequest> claimNextTraining(String worker, String tenantId) {
        Long quota = trainingQuota(tenantId);
        return jdbi.inTransaction(
                handle -> {
                    ModelDao models = handle.attach(ModelDao.class);
                    Instant now = clock.instant();
                    for (Optional<ModelDao.TrainingRequest> next = models.nextPendingOf(tenantId);
                            next.isPresent();
                            next = models.nextPendingOf(tenantId)) {
                        ModelDao.TrainingRequest request = next.get();
                        Optional<String> refusal = trainingRefusal(handle, tenantId, quota, now);
                        if (refusal.isEmpty()) {
                            models.claim(tenantId, request.requestId(), worker, now);
                            return next;
                        }
                        models.refuse(tenantId, request.requestId(), refusal.get(), now);
                    }
                    return Optional.<ModelDao.TrainingRequest>empty();
                });
    }

    /**
     * Ends a run of {@code worker} FAILED with {@code error}; false when the worker no longer holds
     * it (another worker took it over).
     */
    public boolean failTraining(ModelDao.TrainingRequest request, String worker, String error) {
        return jdbi.onDemand(ModelDao.class)
                        .finish(
                                request.tenantId(),
                                request.requestId(),
                                worker,
                                "FAILED",
                                error,
                                clock.instant())
                > 0;
    }
}
