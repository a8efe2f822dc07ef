package io.hilal.core.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.JdbiConstructor;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(CustomerDao.CustomerRow.class)
public interface CustomerDao {
    String COLUMNS =
            "customer_id, email, time_zone, locale, email_consent, email_consent_source,"
                    + " email_consent_at, email_consent_client_at, attributes, created_at,"
                    + " updated_at";

    /**
     * A customers row as stored; attributes are JSON text. {@code emailConsentAt} is when the
     * server received the consent, {@code emailConsentClientAt} when the client says it was given.
     */
    record CustomerRow(
            String customerId,
            String email,
            String timeZone,
            String locale,
            String emailConsent,
            String emailConsentSource,
            Instant emailConsentAt,
            Instant emailConsentClientAt,
            String attributes,
            Instant createdAt,
            Instant updatedAt) {
        @JdbiConstructor
        public CustomerRow {}

        /** A row without a client consent time (tests and fixtures). */
        public CustomerRow(
                String customerId,
                String email,
                String timeZone,
                String locale,
                String emailConsent,
                String emailConsentSource,
                Instant emailConsentAt,
                String attributes,
                Instant createdAt,
                Instant updatedAt) {
            this(
                    customerId,
                    email,
                    timeZone,
                    locale,
                    emailConsent,
                    emailConsentSource,
                    emailConsentAt,
                    null,
                    attributes,
                    createdAt,
                    updatedAt);
        }
    }

    @SqlBatch(
            "INSERT INTO customers (tenant_id, "
                    + COLUMNS
                    + ") VALUES (:tenantId, :c.customerId, :c.email, :c.timeZone, :c.locale,"
                    + " :c.emailConsent, :c.emailConsentSource, :c.emailConsentAt,"
                    + " :c.emailConsentClientAt, :c.attributes, :c.createdAt, :c.updatedAt)"
                    // The same status sent again keeps the time it was first received; the
                    // assignment reads email_consent before it is replaced, so it comes first.
                    + " ON DUPLICATE KEY UPDATE email_consent_at = IF(email_consent <=>"
                    + " VALUES(email_consent), email_consent_at, VALUES(email_consent_at)),"
                    + " email = VALUES(email), time_zone = VALUES(time_zone),"
                    + " locale = VALUES(locale), email_consent = VALUES(email_consent),"
                    + " email_consent_source = VALUES(email_consent_source),"
                    + " email_consent_client_at = VALUES(email_consent_client_at),"
                    + " attributes = VALUES(attributes), updated_at = VALUES(updated_at)")
    void upsert(@Bind("tenantId") String tenantId, @BindMethods("c") List<CustomerRow> rows);

    /**
     * Makes sure customers seen in new events exist, and moves their signals version (which tells
     * service instances that cached signals of theirs are stale) in the same transaction as the
     * events. Their details are left as they are.
     */
    @SqlBatch(
            "INSERT INTO customers (tenant_id, customer_id, created_at, updated_at)"
                    + " VALUES (:tenantId, :customerId, :now, :now)"
                    + " ON DUPLICATE KEY UPDATE signals_version = signals_version + 1")
    void ensureExist(
            @Bind("tenantId") String tenantId,
            @Bind("customerId") List<String> customerIds,
            @Bind("now") Instant now);

    @SqlQuery(
            "SELECT "
                    + COLUMNS
                    + " FROM customers WHERE tenant_id = :tenantId AND customer_id = :customerId")
    Optional<CustomerRow> find(
            @Bind("tenantId") String tenantId, @Bind("customerId") String customerId);

    @SqlQuery(
            "SELECT "
                    + COLUMNS
                    + " FROM customers WHERE tenant_id = :tenantId AND customer_id IN (<ids>)")
    List<CustomerRow> findAll(
            @Bind("tenantId") String tenantId, @BindList("ids") Collection<String> customerIds);

    /** The customer's language tag (BCP 47), when they have one: how their prices are written. */
    @SqlQuery(
            "SELECT locale FROM customers WHERE tenant_id = :tenantId"
                    + " AND customer_id = :customerId AND locale IS NOT NULL")
    Optional<String> locale(
            @Bind("tenantId") String tenantId, @Bind("customerId") String customerId);

    @SqlUpdate("DELETE FROM customers WHERE tenant_id = :tenantId AND customer_id = :customerId")
    int delete(@Bind("tenantId") String tenantId, @Bind("customerId") String customerId);

    @SqlQuery("SELECT COUNT(*) FROM customers WHERE tenant_id = :tenantId")
    long count(@Bind("tenantId") String tenantId);

    /** Which of these customers exist. */
    @SqlQuery(
            "SELECT customer_id FROM customers WHERE tenant_id = :tenantId"
                    + " AND customer_id IN (<ids>)")
    List<String> existing(
            @Bind("tenantId") String tenantId, @BindList("ids") Collection<String> customerIds);
}
