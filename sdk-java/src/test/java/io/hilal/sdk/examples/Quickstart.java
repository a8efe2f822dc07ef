package io.hilal.sdk.examples;

import io.hilal.sdk.Callback;
import io.hilal.sdk.CustomerParams;
import io.hilal.sdk.Event;
import io.hilal.sdk.HilalClient;
import io.hilal.sdk.HilalException;
import io.hilal.sdk.ProductParams;
import io.hilal.sdk.RecommendationsParams;
import io.hilal.sdk.RowsParams;
import io.hilal.sdk.SimilarProductsParams;
import io.hilal.sdk.model.EmailConsent;
import io.hilal.sdk.model.RecommendedItem;
import io.hilal.sdk.model.Rows;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A runnable tour of the SDK against a running Hilal: a small catalog, a customer, a few months of
 * orders, then rows, recommendations and similar products, and one typed error. It lives with the
 * tests so it compiles with every build but is not part of the published jar; see the SDK's README
 * for how to run it.
 */
public final class Quickstart {
    private Quickstart() {}

    /**
     * Runs the tour.
     *
     * @param args the endpoint and API key, or set {@code HILAL_ENDPOINT} and {@code HILAL_API_KEY}
     * @throws InterruptedException when interrupted while tracking
     */
    public static void main(String[] args) throws InterruptedException {
        String endpoint =
                args.length > 0 ? args[0] : env("HILAL_ENDPOINT", "http://localhost:8080");
        String apiKey = args.length > 1 ? args[1] : env("HILAL_API_KEY", null);
        if (apiKey == null) {
            System.err.println("usage: Quickstart [endpoint] [api key], or set HILAL_API_KEY");
            System.exit(2);
        }

        Callback report =
                new Callback() {
                    @Override
                    public void rejected(Event event, String reason) {
                        System.out.printf("  event %s rejected: %s%n", event.messageId(), reason);
                    }

                    @Override
                    public void failed(Event event, HilalException error) {
                        System.out.printf(
                                "  event %s not delivered: %s%n", event.messageId(), error.code());
                    }

                    @Override
                    public void spooled(Event event) {
                        System.out.printf("  event %s kept in the spool%n", event.messageId());
                    }
                };

        try (HilalClient hilal =
                HilalClient.builder(apiKey)
                        .endpoint(URI.create(endpoint))
                        .spool(Path.of(System.getProperty("java.io.tmpdir"), "hilal-quickstart"))
                        .callback(report)
                        .build()) {

            System.out.println("1. The catalog");
            hilal.upsertProducts(
                    List.of(
                            ProductParams.builder("ajwa")
                                    .title("Ajwa dates 1 kg")
                                    .categories("Food", "Dates")
                                    .price(new BigDecimal("9.50"), "USD")
                                    .build(),
                            ProductParams.builder("qahwa")
                                    .title("Arabic coffee 250 g")
                                    .categories("Food", "Coffee")
                                    .price(new BigDecimal("7.25"), "USD")
                                    .build(),
                            ProductParams.builder("finjan")
                                    .title("Finjan cups, set of 6")
                                    .categories("Home", "Tableware")
                                    .price(new BigDecimal("18.00"), "USD")
                                    .stock(12)
                                    .build()));
            System.out.println("   " + hilal.product("ajwa"));

            System.out.println("2. A customer");
            System.out.println(
                    "   "
                            + hilal.upsertCustomer(
                                    CustomerParams.builder("amina")
                                            .email("amina@example.com")
                                            .timeZone("Asia/Riyadh")
                                            .locale("ar-SA")
                                            .emailConsent(EmailConsent.granted("checkout"))
                                            .attribute("tier", "gold")
                                            .build()));

            System.out.println("3. Five months of orders, and a few from other shoppers");
            Instant start = Instant.now().minus(150, ChronoUnit.DAYS);
            for (int month = 0; month < 5; month++) {
                Instant at = start.plus(30L * month, ChronoUnit.DAYS);
                hilal.track(
                        Event.orderCompleted("amina", "amina-" + month)
                                .messageId("quickstart-amina-" + month)
                                .timestamp(at)
                                .line("ajwa", 1, new BigDecimal("9.50"), "USD")
                                .build());
                for (int other = 0; other < 3; other++) {
                    hilal.track(
                            Event.orderCompleted("shopper-" + other, "o-" + other + "-" + month)
                                    .messageId("quickstart-" + other + "-" + month)
                                    .timestamp(at.plus(other + 1, ChronoUnit.HOURS))
                                    .line("ajwa", 1, new BigDecimal("9.50"), "USD")
                                    .line("qahwa", 2, new BigDecimal("7.25"), "USD")
                                    .line("finjan", 1, new BigDecimal("18.00"), "USD")
                                    .build());
                }
            }
            hilal.track(Event.productViewed("amina", "finjan").build());
            hilal.flush();

            System.out.println("4. Amina's rows");
            Rows rows = hilal.rows("amina", RowsParams.builder().rows(3).perRow(3).build());
            for (Rows.Row row : rows.rows()) {
                System.out.printf("   %s (%s)%n", row.title(), row.evidence());
                for (RecommendedItem item : row.items()) {
                    System.out.printf("     %-8s %s%n", item.productId(), item.reason());
                }
            }

            System.out.println("5. Her recommendations without coffee, and what goes with dates");
            System.out.println(
                    "   "
                            + hilal.recommendations(
                                    "amina",
                                    RecommendationsParams.builder()
                                            .limit(5)
                                            .exclude("qahwa")
                                            .build()));
            System.out.println(
                    "   "
                            + hilal.similarProducts(
                                    "ajwa", SimilarProductsParams.builder().limit(3).build()));

            System.out.println("6. A typed error");
            try {
                hilal.customer("nobody-by-this-id");
            } catch (HilalException.NotFoundException e) {
                System.out.printf("   %d %s (request %s)%n", e.status(), e.code(), e.requestId());
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
