package io.hilal.core.pods;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** A pod's recent events, counted in that pod; bounded by its tenants and the period. */
public interface PodLoadDao {
    @SqlQuery(
            "SELECT COUNT(*) FROM events WHERE tenant_id IN (<tenantIds>)"
                    + " AND occurred_at >= :since")
    long recentEvents(@BindList("tenantIds") List<String> tenantIds, @Bind("since") Instant since);
}
