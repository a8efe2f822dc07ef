package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.reco.ProductInfo;
import io.hilal.core.reco.Purchase;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.tenant.TenantService;
import io.hilal.core.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each audience rule on its own, over real customers and order lines. */
class AudienceServiceIT {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;

    private final Jdbi jdbi = TestDatabase.newJdbi();
    private final AudienceService audiences = new AudienceService(jdbi);
    private final List<Purchase> purchases = new ArrayList<>();
    private String tenantId;

    @BeforeEach
    void data() {
        tenantId =
                new TenantService(jdbi, Clock.fixed(NOW, UTC))
                        .createTenant("shop", "UTC")
                        .tenant()
                        .tenantId();
        product("dates", "Food > Dates");
        product("tea", "Food > Tea");
        customer("amina", "granted", "ar-SA", "Asia/Riyadh");
        customer("bilal", "granted", "en-GB", null);
        customer("chen", "granted", "zh", "Asia/Shanghai");
        customer("dara", "denied", "en", null);
        customer("eve", null, "en", null);
        order("amina", "dates", 3, "10.00", NOW.minus(Duration.ofDays(40)));
        order("amina", "dates", 1, "10.00", NOW.minus(Duration.ofDays(10)));
        order("bilal", "tea", 1, "4.00", NOW.minus(Duration.ofDays(200)));
        order("chen", "dates", 10, "10.00", NOW.minus(Duration.ofDays(400)));
        order("dara", "dates", 1, "10.00", NOW.minus(Duration.ofDays(5)));
        // After "now": a replayed history must not see it.
        order("bilal", "dates", 1, "10.00", NOW.plus(Duration.ofDays(3)));
    }

    private void product(String id, String path) {
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "INSERT INTO products (tenant_id, product_id, title,"
                                                + " category_path, category, available, hidden,"
                                                + " created_at, updated_at) VALUES (:t, :id, :id,"
                                                + " :path, :leaf, TRUE, FALSE, :now, :now)")
                                .bind("t", tenantId)
                                .bind("id", id)
                                .bind("path", path)
                                .bind("leaf", path.substring(path.lastIndexOf('>') + 2))
                                .bind("now", NOW)
                                .execute());
    }

    private void customer(String id, String consent, String locale, String zone) {
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "INSERT INTO customers (tenant_id, customer_id, email,"
                                                + " locale, time_zone, email_consent, created_at,"
                                                + " updated_at) VALUES (:t, :id, :email, :locale,"
                                                + " :zone, :consent, :now, :now)")
                                .bind("t", tenantId)
                                .bind("id", id)
                                .bind("email", id + "@example.invalid")
                                .bind("locale", locale)
                                .bind("zone", zone)
                                .bind("consent", consent)
                                .bind("now", NOW)
                                .execute());
    }

    private void order(String customer, String product, int quantity, String price, Instant at) {
        String id = customer + "-" + product + "-" + at.toEpochMilli();
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "INSERT INTO order_lines (tenant_id, message_id, line_no,"
                                                + " customer_id, order_id, product_id, quantity,"
                                                + " unit_price, currency, occurred_at) VALUES (:t,"
                                                + " :id, 0, :c, :id, :p, :q, :price, 'USD', :at)")
                                .bind("t", tenantId)
                                .bind("id", id)
                                .bind("c", customer)
                                .bind("p", product)
                                .bind("q", quantity)
                                .bind("price", new BigDecimal(price))
                                .bind("at", at)
                                .execute());
        purchases.add(new Purchase(customer, product, id, quantity, at));
    }

    private List<String> members(CampaignRequest.Audience rules) {
        return members(rules, null);
    }

    private List<String> members(CampaignRequest.Audience rules, RecommendationModel model) {
        List<String> members = new ArrayList<>();
        audiences.forEachMember(
                tenantId,
                rules,
                UTC,
                NOW,
                model,
                null,
                null,
                false,
                member -> members.add(member.customerId()));
        return members;
    }

    private static CampaignRequest.Audience rules(
            CampaignRequest.Bought bought,
            Integer lastOrderDays,
            Integer repeatDue,
            String spent,
            List<String> locales,
            List<String> zones) {
        return new CampaignRequest.Audience(
                bought,
                lastOrderDays,
                repeatDue,
                spent == null ? null : new BigDecimal(spent),
                locales,
                zones);
    }

    @Test
    void everyoneWithConsentAndNoOneElseWhenThereAreNoRules() {
        assertThat(members(rules(null, null, null, null, null, null)))
                .containsExactly("amina", "bilal", "chen");
    }

    @Test
    void suppressedAddressesAreLeftOut() {
        jdbi.useExtension(
                SuppressionDao.class,
                dao -> dao.suppress(tenantId, "bilal@example.invalid", "unsubscribe", NOW));
        assertThat(members(rules(null, null, null, null, null, null)))
                .containsExactly("amina", "chen");
    }

    @Test
    void theCountIsOfWhoMatchesTheRulesBeforeReachabilityAndTheMembersAreTheReachable() {
        jdbi.useExtension(
                SuppressionDao.class,
                dao -> dao.suppress(tenantId, "amina@example.invalid", "unsubscribe", NOW));
        // Bought dates: amina (suppressed), chen, and dara (consent denied).
        List<String> members = new ArrayList<>();
        int matching =
                audiences.forEachMember(
                        tenantId,
                        rules(
                                new CampaignRequest.Bought("Dates", null, null, null),
                                null,
                                null,
                                null,
                                null,
                                null),
                        UTC,
                        NOW,
                        null,
                        null,
                        null,
                        true,
                        member -> members.add(member.customerId()));
        assertThat(matching).isEqualTo(3);
        assertThat(members).containsExactly("chen");
    }

    @Test
    void boughtInACategoryBetweenDates() {
        assertThat(
                        members(
                                rules(
                                        new CampaignRequest.Bought("Dates", null, null, null),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null)))
                .containsExactly("amina", "chen");
        assertThat(
                        members(
                                rules(
                                        new CampaignRequest.Bought("Food", null, null, null),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null)))
                .containsExactly("amina", "bilal", "chen");
        assertThat(
                        members(
                                rules(
                                        new CampaignRequest.Bought(
                                                "Dates", null, LocalDate.of(2026, 1, 1), null),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null)))
                .containsExactly("amina");
        assertThat(
                        members(
                                rules(
                                        new CampaignRequest.Bought(
                                                null, List.of("tea"), null, null),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null)))
                .containsExactly("bilal");
    }

    @Test
    void lastOrderMoreThanDaysAgoAndSpentAtLeast() {
        assertThat(members(rules(null, 100, null, null, null, null)))
                .containsExactly("bilal", "chen");
        assertThat(members(rules(null, null, null, "40", null, null)))
                .containsExactly("amina", "chen");
    }

    @Test
    void localesByPrefixAndTimeZonesIncludingTheTenantsDefault() {
        assertThat(members(rules(null, null, null, null, List.of("ar"), null)))
                .containsExactly("amina");
        assertThat(members(rules(null, null, null, null, null, List.of("UTC", "Asia/Shanghai"))))
                .containsExactly("bilal", "chen");
    }

    @Test
    void repeatPurchaseDueWithinAWindowFromTheModel() {
        RecommendationModel model =
                RecommendationModel.train(
                        purchases.stream().filter(p -> p.at().isBefore(NOW)).toList(),
                        Map.of(
                                "dates", new ProductInfo("dates", "Dates", "Dates", true),
                                "tea", new ProductInfo("tea", "Tea", "Tea", true)),
                        NOW);
        // Amina buys dates about every 30 days, last 10 days ago: due in about 20 days.
        assertThat(members(rules(null, null, 30, null, null, null), model))
                .containsExactly("amina");
        assertThat(members(rules(null, null, 5, null, null, null), model)).isEmpty();
    }
}
