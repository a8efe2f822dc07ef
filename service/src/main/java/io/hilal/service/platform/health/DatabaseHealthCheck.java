package io.hilal.service.platform.health;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/** Healthy while the database answers a trivial query. */
public final class DatabaseHealthCheck extends HealthCheck {
    private final Jdbi jdbi;

    public DatabaseHealthCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    protected Result check() {
        jdbi.withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one());
        return Result.healthy();
    }
}
