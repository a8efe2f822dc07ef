package io.hilal.service.platform.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Bootstrap;
import io.hilal.core.catalog.CustomerService;
import io.hilal.core.catalog.ProductService;
import io.hilal.core.db.Database;
import io.hilal.core.demo.OnlineRetailImporter;
import io.hilal.core.events.EventIngestService;
import io.hilal.core.json.HilalJson;
import io.hilal.core.pods.DbScope;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.HilalConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code import --tenant T [--file F]}: loads an Online Retail CSV (gzip or plain). */
public final class ImportCommand extends DatabaseCommand {
    public static final String DEMO_DATA = "demo-data/online-retail.csv.gz";

    public ImportCommand() {
        super("import", "Import the UCI Online Retail CSV into a tenant");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--tenant").required(true).help("tenant id");
        subparser.addArgument("--file").setDefault(DEMO_DATA).help("CSV file, optionally .gz");
    }

    @Override
    void run(Database database, Namespace namespace, Bootstrap<HilalConfiguration> bootstrap)
            throws Exception {
        System.out.println(
                describe(
                        importInto(
                                database,
                                namespace.getString("tenant"),
                                Path.of(namespace.getString("file")),
                                System.out::println)));
    }

    /**
     * What the command does: the tenant is looked up in the home database, its rows go to its pod
     * (with several pods, a query outside the tenant's scope would be refused).
     */
    public static OnlineRetailImporter.Summary importInto(
            Database database, String tenantId, Path file, Consumer<String> progress) {
        TenantService tenants = new TenantService(database.homeJdbi(), Clock.systemUTC());
        if (tenants.findTenant(tenantId).isEmpty()) {
            throw new IllegalArgumentException("No tenant " + tenantId);
        }
        return DbScope.tenant(tenantId, () -> importFile(database, tenantId, file, progress));
    }

    /** Imports {@code file} into the tenant, in the calling thread's scope. */
    static OnlineRetailImporter.Summary importFile(
            Database database, String tenantId, Path file, Consumer<String> progress) {
        try {
            return importer(database, HilalJson.newMapper()).importFile(tenantId, file, progress);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    static OnlineRetailImporter importer(Database database, ObjectMapper mapper) {
        Clock clock = Clock.systemUTC();
        return new OnlineRetailImporter(
                mapper,
                new EventIngestService(database.jdbi(), mapper, clock),
                new CustomerService(database.jdbi(), mapper, clock),
                new ProductService(database.jdbi(), mapper, clock));
    }

    static String describe(OnlineRetailImporter.Summary summary) {
        return String.format(
                "Imported in %.1f s: %d rows (%d skipped: no customer or adjustments), %d products,"
                        + " %d customers, %d events (%d accepted, %d duplicates, %d rejected)",
                summary.millis() / 1000.0,
                summary.rows(),
                summary.skippedRows(),
                summary.products(),
                summary.customers(),
                summary.events(),
                summary.accepted(),
                summary.duplicates(),
                summary.rejected());
    }
}
