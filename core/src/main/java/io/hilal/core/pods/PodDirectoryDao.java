package io.hilal.core.pods;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The directory in the home database: the pods and which pod holds each tenant. */
public interface PodDirectoryDao {
    @SqlQuery(
            "SELECT pod_id, jdbc_url, db_user AS user, db_password AS password,"
                    + " db_password_env AS password_env, home_credentials, status FROM pods"
                    + " ORDER BY pod_id")
    @RegisterConstructorMapper(Pod.class)
    List<Pod> pods();

    @SqlUpdate(
            "INSERT INTO pods (pod_id, jdbc_url, db_user, db_password, db_password_env,"
                    + " home_credentials, status, created_at) VALUES (:podId, :jdbcUrl, :user,"
                    + " :password, :passwordEnv, :homeCredentials, 'ACTIVE', :now)")
    void insertPod(
            @Bind("podId") String podId,
            @Bind("jdbcUrl") String jdbcUrl,
            @Bind("user") String user,
            @Bind("password") String password,
            @Bind("passwordEnv") String passwordEnv,
            @Bind("homeCredentials") boolean homeCredentials,
            @Bind("now") Instant now);

    @SqlUpdate("UPDATE pods SET status = :status WHERE pod_id = :podId")
    int setPodStatus(@Bind("podId") String podId, @Bind("status") Pod.Status status);

    @SqlQuery(
            "SELECT tenant_id, pod_id, state, target_pod_id FROM tenant_pods"
                    + " WHERE tenant_id = :tenantId")
    @RegisterConstructorMapper(Placement.class)
    Optional<Placement> placement(@Bind("tenantId") String tenantId);

    @SqlQuery(
            "SELECT tenant_id, pod_id, state, target_pod_id FROM tenant_pods"
                    + " WHERE pod_id = :podId ORDER BY tenant_id")
    @RegisterConstructorMapper(Placement.class)
    List<Placement> tenantsOf(@Bind("podId") String podId);

    @SqlQuery("SELECT tenant_id, pod_id, state, target_pod_id FROM tenant_pods ORDER BY tenant_id")
    @RegisterConstructorMapper(Placement.class)
    List<Placement> placements();

    @SqlUpdate(
            "INSERT INTO tenant_pods (tenant_id, pod_id, state, target_pod_id, updated_at)"
                    + " VALUES (:tenantId, :podId, 'ACTIVE', NULL, :now)")
    void place(
            @Bind("tenantId") String tenantId,
            @Bind("podId") String podId,
            @Bind("now") Instant now);

    /** Moves a placement from one state to another; 0 when it was not in {@code from}. */
    @SqlUpdate(
            "UPDATE tenant_pods SET state = :to, target_pod_id = :target, updated_at = :now"
                    + " WHERE tenant_id = :tenantId AND state = :from")
    int transition(
            @Bind("tenantId") String tenantId,
            @Bind("from") Placement.State from,
            @Bind("to") Placement.State to,
            @Bind("target") String targetPodId,
            @Bind("now") Instant now);

    /** The switch: the tenant's rows now live in its target, and it may write again. */
    @SqlUpdate(
            "UPDATE tenant_pods SET pod_id = target_pod_id, state = 'ACTIVE', target_pod_id = NULL,"
                    + " updated_at = :now WHERE tenant_id = :tenantId AND state = 'FROZEN'")
    int switchToTarget(@Bind("tenantId") String tenantId, @Bind("now") Instant now);
}
