package io.hilal.core.experiments;

import io.hilal.core.db.NamedLock;
import io.hilal.core.error.ConflictException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.error.ValidationException;
import io.hilal.core.reco.ModelDao;
import io.hilal.core.reco.ModelStore;
import io.hilal.core.reco.ModelVersion;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Creates, lists, stops and reports a tenant's model experiments, and records the impressions
 * served to their customers. The one door to the experiment and impression tables (ingest writes
 * attributions through {@link ImpressionDao} in its own transaction).
 */
public final class ExperimentService {
    /** How long a start waits for another start of the same tenant's to finish. */
    static final int START_WAIT_SECONDS = 30;

    private final Jdbi jdbi;
    private final ModelStore models;
    private final Clock clock;

    public ExperimentService(Jdbi jdbi, ModelStore models, Clock clock) {
        this.jdbi = jdbi;
        this.models = models;
        this.clock = clock;
    }

    /**
     * Starts an experiment; 422 when an arm names a version the tenant does not have (or that old
     * versions' retention deleted while it was being started), 409 while another runs.
     */
    public Experiment create(String tenantId, ExperimentRequest request) {
        request.check().throwIfAny();
        List<ModelVersion> versions = models.versions(tenantId);
        Experiment.Arm a = resolve(versions, "a", request.a());
        Experiment.Arm b = resolve(versions, "b", request.b());
        if (a.equals(b)) {
            throw new ValidationException("b", "must differ from a (both are " + a.label() + ")");
        }
        ExperimentDao.Row row =
                new ExperimentDao.Row(
                        "exp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
                        request.name(),
                        request.modeOrDefault(),
                        a.kind(),
                        a.version(),
                        b.kind(),
                        b.version(),
                        request.plannedOrDefault(),
                        Experiment.RUNNING,
                        clock.instant(),
                        null);
        // One start of the tenant's at a time: under READ COMMITTED the running check locks
        // nothing when no experiment runs, so two starts at once would both pass it.
        NamedLock lock =
                NamedLock.acquire(jdbi, "hilal.experiments." + tenantId, START_WAIT_SECONDS)
                        .orElseThrow(
                                () ->
                                        new ConflictException(
                                                "experiment_starting",
                                                "another experiment of this shop is being started;"
                                                        + " try again"));
        try (lock) {
            return jdbi.inTransaction(handle -> insertUnlessOneRuns(handle, tenantId, a, b, row));
        }
    }

    /** Inserts {@code row} in {@code handle}'s transaction; 409 when an experiment runs already. */
    private static Experiment insertUnlessOneRuns(
            Handle handle,
            String tenantId,
            Experiment.Arm a,
            Experiment.Arm b,
            ExperimentDao.Row row) {
        ExperimentDao dao = handle.attach(ExperimentDao.class);
        List<ExperimentDao.Row> running = dao.runningForUpdate(tenantId);
        if (!running.isEmpty()) {
            throw new ConflictException(
                    "experiment_running",
                    "experiment "
                            + running.get(0).experimentId()
                            + " is running; stop it before starting another");
        }
        // Held until the experiment is committed, so retention keeps the arms' versions.
        ModelDao stored = handle.attach(ModelDao.class);
        lockArm(stored, tenantId, "a", a);
        lockArm(stored, tenantId, "b", b);
        dao.insert(tenantId, row);
        return row.experiment();
    }

    /** Locks a stored arm's version shared; 422 when retention deleted it since it was read. */
    private static void lockArm(
            ModelDao versions, String tenantId, String field, Experiment.Arm arm) {
        if (arm.version() != null
                && !versions.lockVersionShared(tenantId, arm.kind(), arm.version())) {
            throw new ValidationException(
                    field + ".version", arm.label() + " was deleted as an old version meanwhile");
        }
    }

    private static Experiment.Arm resolve(
            List<ModelVersion> versions, String field, ExperimentRequest.ArmRequest arm) {
        if (Experiment.POPULARITY.equals(arm.kind())) {
            return new Experiment.Arm(Experiment.POPULARITY, null);
        }
        Optional<ModelVersion> version =
                versions.stream()
                        .filter(stored -> stored.kind().equals(arm.kind()))
                        .filter(
                                stored ->
                                        arm.version() == null || stored.version() == arm.version())
                        .findFirst(); // newest first
        return version.map(found -> new Experiment.Arm(found.kind(), found.version()))
                .orElseThrow(
                        () ->
                                new ValidationException(
                                        field + ".version",
                                        arm.version() == null
                                                ? "no " + arm.kind() + " model is stored yet"
                                                : "there is no "
                                                        + arm.kind()
                                                        + " version "
                                                        + arm.version()));
    }

    public List<Experiment> list(String tenantId) {
        return jdbi.onDemand(ExperimentDao.class).list(tenantId).stream()
                .map(ExperimentDao.Row::experiment)
                .toList();
    }

    public Experiment get(String tenantId, String experimentId) {
        return jdbi.onDemand(ExperimentDao.class)
                .get(tenantId, experimentId)
                .map(ExperimentDao.Row::experiment)
                .orElseThrow(() -> new NotFoundException("experiment", experimentId));
    }

    public Optional<Experiment> running(String tenantId) {
        return jdbi.onDemand(ExperimentDao.class)
                .running(tenantId)
                .map(ExperimentDao.Row::experiment);
    }

    /** Stops serving the experiment; its report stays. Stopping a stopped one changes nothing. */
    public Experiment stop(String tenantId, String experimentId) {
        get(tenantId, experimentId);
        jdbi.onDemand(ExperimentDao.class).stop(tenantId, experimentId, clock.instant());
        return get(tenantId, experimentId);
    }

    public ExperimentReport report(String tenantId, String experimentId) {
        Experiment experiment = get(tenantId, experimentId);
        return ExperimentAnalysis.analyse(experiment, counts(tenantId, experiment));
    }

    /** Reports of every experiment of the tenant, newest first (the dashboard's list). */
    public List<ExperimentReport> reports(String tenantId) {
        return list(tenantId).stream()
                .map(
                        experiment ->
                                ExperimentAnalysis.analyse(
                                        experiment, counts(tenantId, experiment)))
                .toList();
    }

    /**
     * Each exposed customer's counts, with every order they placed from their first exposure to the
     * experiment's end (now, while it runs) and, when interleaved, each team's credited orders.
     */
    private List<ImpressionDao.CustomerCounts> counts(String tenantId, Experiment experiment) {
        ImpressionDao impressions = jdbi.onDemand(ImpressionDao.class);
        String id = experiment.experimentId();
        Instant until = experiment.stoppedAt() == null ? clock.instant() : experiment.stoppedAt();
        List<ImpressionDao.CustomerCounts> counts = impressions.customerCounts(tenantId, id);
        if (experiment.interleaved()) {
            Map<String, List<OrderCredit.Line>> lines = new HashMap<>();
            for (ImpressionDao.ExposedOrderLine line :
                    impressions.orderLinesAfterExposure(tenantId, id, until)) {
                lines.computeIfAbsent(line.customerId(), k -> new ArrayList<>())
                        .add(
                                new OrderCredit.Line(
                                        line.orderId(), line.productId(), line.occurredAt()));
            }
            Map<String, OrderCredit.Credit> credits =
                    OrderCredit.byCustomer(
                            impressions.interleavedBeforeOrders(tenantId, id, until), lines);
            return counts.stream()
                    .map(
                            customer -> {
                                OrderCredit.Credit credit =
                                        credits.getOrDefault(
                                                customer.customerId(), OrderCredit.Credit.NONE);
                                return customer.withOrders(
                                        distinctOrders(lines.get(customer.customerId())),
                                        credit.ordersA(),
                                        credit.ordersB());
                            })
                    .toList();
        }
        Map<String, Long> orders = new HashMap<>();
        for (ImpressionDao.CustomerOrders customer :
                impressions.ordersAfterExposure(tenantId, id, until)) {
            orders.put(customer.arm() + "\n" + customer.customerId(), customer.orders());
        }
        return counts.stream()
                .map(
                        customer ->
                                customer.withOrders(
                                        orders.getOrDefault(
                                                customer.arm() + "\n" + customer.customerId(), 0L),
                                        0,
                                        0))
                .toList();
    }

    private static long distinctOrders(List<OrderCredit.Line> lines) {
        return lines == null ? 0 : lines.stream().map(OrderCredit.Line::orderId).distinct().count();
    }

    /** Stores one impression served in an experiment. */
    public void record(String tenantId, ImpressionDao.Impression impression) {
        jdbi.onDemand(ImpressionDao.class).insert(tenantId, impression);
    }
}
