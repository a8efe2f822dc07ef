package io.hilal.worker.platform;

import io.hilal.core.admin.TenantLabels;
import io.hilal.core.campaigns.mail.Mailer;
import io.hilal.core.campaigns.mail.SendResult;
import io.hilal.core.pods.PodScopes;
import io.hilal.core.reco.ModelRetention;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.TrainingService;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign worker's own metrics, in the registry its admin port serves in Prometheus' text
 * format: training runs and model age per tenant (tenants bounded by {@link TenantLabels}), send
 * ledger rows by state, SMTP results, Quartz misfires. Counts read from the database (model age,
 * ledger) are read when scraped, kept for {@link #DATABASE_READ_EVERY} so that frequent scrapes by
 * several Prometheus servers cost one query, and left out of the scrape while the database is away.
 */
public final class WorkerMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMetrics.class);

    static final Duration DATABASE_READ_EVERY = Duration.ofSeconds(15);

    private final TenantLabels tenants;
    private final Histogram training;
    private final Counter smtpErrors;
    private final Counter smtpSent;
    private final Counter misfires;
    private final Counter versionsDeleted;
    private final Counter bytesDeleted;

    public WorkerMetrics(
            PrometheusRegistry registry, Jdbi jdbi, TenantLabels tenants, Clock clock) {
        this(registry, jdbi, tenants, clock, PodScopes.single());
    }

    /** With the ledger and the models read in every pod ({@code jdbi} routed by pod). */
    public WorkerMetrics(
            PrometheusRegistry registry,
            Jdbi jdbi,
            TenantLabels tenants,
            Clock clock,
            PodScopes pods) {
        this.tenants = tenants;
        this.training =
                Histogram.builder()
                        .name("hilal_training_duration_seconds")
                        .help(
                                "Training runs by tenant (the busiest by name, the rest as other)"
                                        + " and outcome (ok, failed)")
                        .labelNames("tenant", "outcome")
                        .classicUpperBounds(0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600)
                        .register(registry);
        this.smtpSent =
                Counter.builder()
                        .name("hilal_smtp_sent_total")
                        .help("Emails the SMTP relay accepted")
                        .register(registry);
        this.smtpErrors =
                Counter.builder()
                        .name("hilal_smtp_errors_total")
                        .help(
                                "Emails not sent: permanent (the relay refused the message) or"
                                        + " temporary (the relay was unreachable after every retry)")
                        .labelNames("kind")
                        .register(registry);
        this.misfires =
                Counter.builder()
                        .name("hilal_quartz_misfires_total")
                        .help("Quartz triggers that missed their fire time, by job")
                        .labelNames("job")
                        .register(registry);
        this.versionsDeleted =
                Counter.builder()
                        .name("hilal_model_versions_deleted_total")
                        .help(
                                "Old model versions deleted after training runs (past the newest"
                                        + " kept of each kind, neither active nor in a running"
                                        + " experiment)")
                        .register(registry);
        this.bytesDeleted =
                Counter.builder()
                        .name("hilal_model_bytes_deleted_total")
                        .help("Bytes of the model artifacts deleted with those versions")
                        .register(registry);
        Cached<Map<String, Long>> ledger =
                new Cached<>(
                        clock,
                        Map.of(),
                        () -> {
                            // Each tenant counted in the pod the directory says holds it: during
                            // a move its rows are in both pods until the source's are removed.
                            Map<String, Long> all = new HashMap<>();
                            for (LedgerCount count :
                                    pods.acrossPods(
                                            () -> ledgerCounts(jdbi), LedgerCount::tenantId)) {
                                all.merge(count.state(), count.count(), Long::sum);
                            }
                            return all;
                        });
        GaugeWithCallback.builder()
                .name("hilal_ledger_sends")
                .help("Rows of the send ledger by state, all tenants")
                .labelNames("state")
                .callback(
                        callback ->
                                ledger.get().forEach((state, count) -> callback.call(count, state)))
                .register(registry);
        CounterWithCallback.builder()
                .name("hilal_pod_unreadable_total")
                .help(
                        "Times a pod could not be read by a listing across tenants or a per-pod"
                                + " task of this worker (its tenants' work waited; recovery of"
                                + " this worker's sends in flight there is retried until read)")
                .labelNames("pod")
                .callback(
                        callback ->
                                pods.unreadable()
                                        .forEach((pod, count) -> callback.call(count, pod)))
                .register(registry);
        Cached<List<ActiveModel>> models =
                new Cached<>(
                        clock,
                        List.of(),
                        () -> pods.acrossPods(() -> activeModels(jdbi), ActiveModel::tenantId));
        GaugeWithCallback.builder()
                .name("hilal_model_age_seconds")
                .help(
                        "Age of each tenant's active model (the busiest tenants by name; other:"
                                + " the oldest of the rest)")
                .labelNames("tenant")
                .callback(
                        callback -> {
                            Instant now = clock.instant();
                            Map<String, Double> ages = new HashMap<>();
                            for (ActiveModel model : models.get()) {
                                double age =
                                        Duration.between(model.trainedAt(), now).toMillis()
                                                / 1000.0;
                                ages.merge(this.tenants.label(model.tenantId(), 0), age, Math::max);
                            }
                            ages.forEach((tenant, age) -> callback.call(age, tenant));
                        })
                .register(registry);
    }

    /** The ledger's rows by tenant and state (in the scope's database). */
    private static List<LedgerCount> ledgerCounts(Jdbi jdbi) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT tenant_id, state, COUNT(*) FROM campaign_sends"
                                                + " GROUP BY tenant_id, state")
                                .map(
                                        (rs, ctx) ->
                                                new LedgerCount(
                                                        rs.getString(1),
                                                        rs.getString(2),
                                                        rs.getLong(3)))
                                .list());
    }

    private record LedgerCount(String tenantId, String state, long count) {}

    private static List<ActiveModel> activeModels(Jdbi jdbi) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT a.tenant_id, v.trained_at"
                                                + " FROM active_models a JOIN"
                                                + " model_versions v ON"
                                                + " v.tenant_id = a.tenant_id"
                                                + " AND v.kind = a.kind AND"
                                                + " v.version = a.version WHERE"
                                                + " a.kind = :kind")
                                .bind("kind", RecommendationModel.KIND)
                                .map(
                                        (rs, ctx) ->
                                                new ActiveModel(
                                                        rs.getString(1),
                                                        rs.getTimestamp(2).toInstant()))
                                .list());
    }

    /** Times each training run. */
    public TrainingService.Observer training() {
        return new TrainingService.Observer() {
            @Override
            public void trained(String tenantId, Duration took, boolean succeeded) {
                training.labelValues(
                                tenants.label(tenantId, Math.max(1, took.toMillis())),
                                succeeded ? "ok" : "failed")
                        .observe(took.toNanos() / 1e9);
            }

            @Override
            public void pruned(String tenantId, ModelRetention.Freed freed) {
                versionsDeleted.inc(freed.versions());
                bytesDeleted.inc(freed.bytes());
            }
        };
    }

    /** Counts what became of each email handed to {@code mailer}. */
    public Mailer counting(Mailer mailer) {
        return email -> count(mailer.send(email));
    }

    /** Counts misfires; add it to the scheduler's listeners. */
    public TriggerListenerSupport misfires() {
        return new TriggerListenerSupport() {
            @Override
            public String getName() {
                return "hilal-misfire-metrics";
            }

            @Override
            public void triggerMisfired(Trigger trigger) {
                misfires.labelValues(trigger.getJobKey().getName()).inc();
            }
        };
    }

    private SendResult count(SendResult result) {
        switch (result.status()) {
            case SENT -> smtpSent.inc();
            case PERMANENT_FAILURE -> smtpErrors.labelValues("permanent").inc();
            case TEMPORARY_FAILURE -> smtpErrors.labelValues("temporary").inc();
        }
        return result;
    }

    private record ActiveModel(String tenantId, Instant trainedAt) {}

    /** A database read shared by scrapes for a few seconds; nothing while the database is away. */
    private static final class Cached<T> {
        private final Clock clock;
        private final java.util.function.Supplier<T> read;
        private final T empty;
        private T value;
        private Instant readAt = Instant.EPOCH;

        Cached(Clock clock, T empty, java.util.function.Supplier<T> read) {
            this.clock = clock;
            this.empty = empty;
            this.read = read;
        }

        synchronized T get() {
            Instant now = clock.instant();
            if (value == null || !now.isBefore(readAt.plus(DATABASE_READ_EVERY))) {
                try {
                    value = read.get();
                    readAt = now;
                } catch (RuntimeException unreachable) {
                    LOG.debug("Metrics from the database skipped: {}", unreachable.toString());
                    value = null;
                    return empty;
                }
            }
            return value;
        }
    }
}
