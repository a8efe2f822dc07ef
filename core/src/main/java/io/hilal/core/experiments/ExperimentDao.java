package io.hilal.core.experiments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface ExperimentDao {
    /** A model_experiments row. */
    record Row(
            String experimentId,
            String name,
            String mode,
            String armAKind,
            Integer armAVersion,
            String armBKind,
            Integer armBVersion,
            int plannedCustomers,
            String status,
            Instant createdAt,
            Instant stoppedAt) {
        Experiment experiment() {
            return new Experiment(
                    experimentId,
                    name,
                    mode,
                    new Experiment.Arm(armAKind, armAVersion),
                    new Experiment.Arm(armBKind, armBVersion),
                    plannedCustomers,
                    status,
                    createdAt,
                    stoppedAt);
        }
    }

    String COLUMNS =
            "experiment_id, name, mode, arm_a_kind, arm_a_version, arm_b_kind, arm_b_version,"
                    + " planned_customers, status, created_at, stopped_at";

    @SqlUpdate(
            "INSERT INTO model_experiments (tenant_id, "
                    + COLUMNS
                    + ") VALUES (:tenantId, :r.experimentId, :r.name, :r.mode, :r.armAKind,"
                    + " :r.armAVersion, :r.armBKind, :r.armBVersion, :r.plannedCustomers, :r.status,"
                    + " :r.createdAt, :r.stoppedAt)")
    void insert(@Bind("tenantId") String tenantId, @BindMethods("r") Row row);

    @SqlQuery(
            "SELECT "
                    + COLUMNS
                    + " FROM model_experiments WHERE tenant_id = :tenantId"
                    + " ORDER BY created_at DESC, experiment_id DESC LIMIT 100")
    @RegisterConstructorMapper(Row.class)
    List<Row> list(@Bind("tenantId") String tenantId);

    @SqlQuery(
            "SELECT "
                    + COLUMNS
                    + " FROM model_experiments WHERE tenant_id = :tenantId"
                    + " AND experiment_id = :experimentId")
    @RegisterConstructorMapper(Row.class)
    Optional<Row> get(@Bind("tenantId") String tenantId, @Bind("experimentId") String experimentId);

    /** The running experiment, locked, so that two creations cannot both start one. */
    @SqlQuery(
            "SELECT "
                    + COLUMNS
                    + " FROM model_experiments WHERE tenant_id = :tenantId AND status = 'running'"
                    + " FOR UPDATE")
    @RegisterConstructorMapper(Row.class)
    List<Row> runningForUpdate(@Bind("tenantId") String tenantId);

    @SqlQuery(
            "SELECT "
                    + COLUMNS
                    + " FROM model_experiments WHERE tenant_id = :tenantId AND status = 'running'"
                    + " LIMIT 1")
    @RegisterConstructorMapper(Row.class)
    Optional<Row> running(@Bind("tenantId") String tenantId);

    @SqlUpdate(
            "UPDATE model_experiments SET status = 'stopped', stopped_at = :now"
                    + " WHERE tenant_id = :tenantId AND experiment_id = :experimentId"
                    + " AND status = 'running'")
    int stop(
            @Bind("tenantId") String tenantId,
            @Bind("experimentId") String experimentId,
            @Bind("now") Instant now);
}
