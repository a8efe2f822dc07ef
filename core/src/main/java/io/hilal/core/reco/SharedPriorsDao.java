package io.hilal.core.reco;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The one door to {@code prior_sharing} and {@code shared_priors}. {@link #pooledFor} is the one
 * query that reads across tenants, and it reads only aggregate priors of tenants whose operator
 * turned contributing on.
 */
public interface SharedPriorsDao {
    @SqlQuery("SELECT contribute, receive FROM prior_sharing WHERE tenant_id = :tenantId")
    @RegisterConstructorMapper(PriorSharing.class)
    Optional<PriorSharing> sharing(@Bind("tenantId") String tenantId);

    @SqlUpdate(
            "INSERT INTO prior_sharing (tenant_id, contribute, receive, updated_at)"
                    + " VALUES (:tenantId, :s.contribute, :s.receive, :now)"
                    + " ON DUPLICATE KEY UPDATE contribute = VALUES(contribute),"
                    + " receive = VALUES(receive), updated_at = VALUES(updated_at)")
    void setSharing(
            @Bind("tenantId") String tenantId,
            @BindMethods("s") PriorSharing sharing,
            @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM shared_priors WHERE tenant_id = :tenantId")
    int deletePriors(@Bind("tenantId") String tenantId);

    @SqlBatch(
            "INSERT INTO shared_priors (tenant_id, category, buyers, rebuyers, gaps, gap_days,"
                    + " gap_low_days, gap_high_days, sales_share, updated_at)"
                    + " VALUES (:tenantId, :r.category, :r.buyers, :r.rebuyers, :r.gaps, :r.gapDays,"
                    + " :r.gapLowDays, :r.gapHighDays, :r.salesShare, :now)")
    void insertPriors(
            @Bind("tenantId") String tenantId,
            @BindMethods("r") List<Row> rows,
            @Bind("now") Instant now);

    /**
     * The priors of every tenant but {@code tenantId} whose operator lets it contribute, one row
     * per tenant and category.
     */
    @SqlQuery(
            "SELECT p.tenant_id, p.category, p.buyers, p.rebuyers, p.gaps, p.gap_days,"
                    + " p.gap_low_days, p.gap_high_days, p.sales_share FROM shared_priors p"
                    + " JOIN prior_sharing s ON s.tenant_id = p.tenant_id AND s.contribute"
                    + " WHERE p.tenant_id <> :tenantId ORDER BY p.tenant_id, p.category")
    @RegisterRowMapper(RowMapperOfPriors.class)
    List<Row> pooledFor(@Bind("tenantId") String tenantId);

    /** One tenant's prior of one category, as stored (NaN gaps as NULL). */
    record Row(String tenantId, String category, ModelPriors.CategoryPrior prior) {
        public int buyers() {
            return prior.buyers();
        }

        public int rebuyers() {
            return prior.rebuyers();
        }

        public int gaps() {
            return prior.gaps();
        }

        public double salesShare() {
            return prior.salesShare();
        }

        public Double gapDays() {
            return nullIfNaN(prior.gapDays());
        }

        public Double gapLowDays() {
            return nullIfNaN(prior.gapLowDays());
        }

        public Double gapHighDays() {
            return nullIfNaN(prior.gapHighDays());
        }

        private static Double nullIfNaN(double value) {
            return Double.isNaN(value) ? null : value;
        }
    }

    /** Reads {@link Row}s. */
    final class RowMapperOfPriors implements RowMapper<Row> {
        @Override
        public Row map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Row(
                    rs.getString("tenant_id"),
                    rs.getString("category"),
                    new ModelPriors.CategoryPrior(
                            rs.getInt("buyers"),
                            rs.getInt("rebuyers"),
                            rs.getInt("gaps"),
                            orNaN(rs, "gap_days"),
                            orNaN(rs, "gap_low_days"),
                            orNaN(rs, "gap_high_days"),
                            rs.getDouble("sales_share")));
        }

        private static double orNaN(ResultSet rs, String column) throws SQLException {
            double value = rs.getDouble(column);
            return rs.wasNull() ? Double.NaN : value;
        }
    }
}
