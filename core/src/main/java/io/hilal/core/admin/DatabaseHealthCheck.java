package io.hilal.core.admin;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/**
 * Healthy while the database answers a trivial query. When it does not, the answer says so in one
 * line: a health endpoint is read by load balancers and operators, not debuggers, so it carries no
 * stack trace.
 */
public final class DatabaseHealthCheck extends HealthCheck {
    private final Jdbi jdbi;

    public DatabaseHealthCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    protected Result check() {
        try {
            jdbi.withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one());
            return Result.healthy();
        } catch (RuntimeException unreachable) {
            Throwable root = unreachable;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return Result.unhealthy("database unreachable (%s)", root.getClass().getSimpleName());
        }
    }
}
