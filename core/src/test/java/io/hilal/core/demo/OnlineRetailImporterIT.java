package io.hilal.core.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class OnlineRetailImporterIT {
    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final ObjectMapper mapper = HilalJson.newMapper();
    private final Clock clock = Clock.systemUTC();
    private final OnlineRetailImporter importer =
            new OnlineRetailImporter(
                    mapper,
                    new EventIngestService(jdbi, mapper, clock),
                    new CustomerService(jdbi, mapper, clock),
                    new ProductService(jdbi, mapper, clock));

    private OnlineRetailImporter.Summary importSample(String tenantId) throws Exception {
        try (InputStream in =
                getClass().getResourceAsStream("/fixtures/demo/online-retail-sample.csv")) {
            List<String> progress = new ArrayList<>();
            return importer.importStream(tenantId, in, progress::add);
        }
    }

    @Test
    void turnsInvoicesIntoOrdersAndCancellationsIntoRefunds() throws Exception {
        String tenantId =
                new TenantService(jdbi, clock)
                        .createTenant("retail", "Europe/London")
                        .tenant()
                        .tenantId();
        OnlineRetailImporter.Summary summary = importSample(tenantId);

        assertThat(summary.rows()).isEqualTo(8);
        assertThat(summary.skippedRows()).isEqualTo(2); // no customer; bad-debt adjustment
        assertThat(summary.customers()).isEqualTo(2);
        assertThat(summary.events()).isEqualTo(3);
        assertThat(summary.accepted()).isEqualTo(3);

        // Invoice 536365's lines are not contiguous in the file; all three land in one order.
        List<Integer> quantities =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "SELECT quantity FROM order_lines WHERE tenant_id = :t"
                                                        + " AND customer_id = '17850' ORDER BY message_id, line_no")
                                        .bind("t", tenantId)
                                        .mapTo(Integer.class)
                                        .list());
        assertThat(quantities).containsExactly(6, 6, 2, -2);
        String refundType =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "SELECT type FROM events WHERE tenant_id = :t AND order_id = 'C536379'")
                                        .bind("t", tenantId)
                                        .mapTo(String.class)
                                        .one());
        assertThat(refundType).isEqualTo("order_refunded");
        boolean postageHidden =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "SELECT hidden FROM products WHERE tenant_id = :t AND product_id = 'POST'")
                                        .bind("t", tenantId)
                                        .mapTo(Boolean.class)
                                        .one());
        assertThat(postageHidden).isTrue();
        String timeZone =
                jdbi.withHandle(
                        h ->
                                h.createQuery(
                                                "SELECT time_zone FROM customers WHERE tenant_id = :t AND customer_id = '12583'")
                                        .bind("t", tenantId)
                                        .mapTo(String.class)
                                        .one());
        assertThat(timeZone).isEqualTo("Europe/Paris");
    }

    @Test
    void importingTwiceStoresNothingTwice() throws Exception {
        String tenantId =
                new TenantService(jdbi, clock).createTenant("again", "UTC").tenant().tenantId();
        importSample(tenantId);
        OnlineRetailImporter.Summary second = importSample(tenantId);
        assertThat(second.accepted()).isZero();
        assertThat(second.duplicates()).isEqualTo(3);
    }
}
