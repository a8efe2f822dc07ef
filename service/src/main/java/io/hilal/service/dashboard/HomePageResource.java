package io.hilal.service.dashboard;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.hilal.core.events.EventDao;
import io.hilal.core.events.OverviewService;
import io.hilal.core.reco.ProductInfo;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.ScoredItem;
import io.hilal.core.tenant.Tenant;
import io.hilal.core.tenant.TenantService;
import io.hilal.service.recommendations.RecommendationCache;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The start page. On a demo install it shows the demo tenant's counts and events per month as an
 * inline SVG bar chart; otherwise it says how to begin. The signed-in dashboard comes later.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomePageResource {
    public static final String DEMO_TENANT = "Hilal demo (Online Retail)";

    private final TenantService tenants;
    private final OverviewService overview;
    private final RecommendationCache recommendations;
    private final Mustache template;
    private final DemoOutbox outbox;

    public HomePageResource(
            TenantService tenants,
            OverviewService overview,
            RecommendationCache recommendations,
            DemoOutbox outbox) {
        this.outbox = outbox;
        this.tenants = tenants;
        this.overview = overview;
        this.recommendations = recommendations;
        this.template =
                new DefaultMustacheFactory("io/hilal/service/dashboard").compile("home.mustache");
    }

    @GET
    public String home(@QueryParam("customer") String customer) {
        Map<String, Object> scope = new HashMap<>();
        Optional<Tenant> demo = tenants.findTenantByName(DEMO_TENANT);
        scope.put("demo", demo.isPresent());
        demo.ifPresent(
                tenant -> {
                    OverviewService.Overview counts = overview.overview(tenant.tenantId());
                    scope.put("tenant", tenant);
                    scope.put("counts", counts);
                    scope.put("months", bars(counts.eventsPerMonth()));
                    scope.put("chartWidth", Math.max(1, counts.eventsPerMonth().size()) * 48 + 40);
                    DemoOutbox.Snapshot sent = outbox.snapshot();
                    if (sent != null) {
                        List<Map<String, Object>> states = new ArrayList<>();
                        sent.counts()
                                .forEach(
                                        (state, count) ->
                                                states.add(Map.of("state", state, "count", count)));
                        scope.put(
                                "outbox",
                                Map.of(
                                        "campaignName", sent.campaignName(),
                                        "campaignId", sent.campaignId(),
                                        "received", sent.received(),
                                        "emails", sent.emails(),
                                        "counts", states));
                    }
                    if (customer != null && !customer.isBlank()) {
                        scope.put("customer", customer.strip());
                        scope.put("rows", rows(tenant.tenantId(), customer.strip()));
                    }
                });
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        return out.toString();
    }

    /** A customer's rows with product titles, for the demo page. */
    private Map<String, Object> rows(String tenantId, String customerId) {
        Rows rows = recommendations.rows(tenantId, customerId, null, 5, 6);
        RecommendationModel model = recommendations.model(tenantId);
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Rows.Row row : rows.rows()) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (ScoredItem item : row.items()) {
                ProductInfo product = model.product(item.productId());
                items.add(
                        Map.of(
                                "productId", item.productId(),
                                "title",
                                        product == null || product.title() == null
                                                ? item.productId()
                                                : product.title(),
                                "reason", item.reason()));
            }
            shown.add(Map.of("title", row.title(), "evidence", row.evidence(), "items", items));
        }
        return Map.of("personalized", rows.personalized(), "list", shown);
    }

    /** One bar per month, scaled to the busiest month. */
    static List<Map<String, Object>> bars(List<EventDao.MonthCount> months) {
        long max = months.stream().mapToLong(EventDao.MonthCount::events).max().orElse(1);
        List<Map<String, Object>> bars = new ArrayList<>();
        int x = 30;
        for (EventDao.MonthCount month : months) {
            long height = Math.round(160.0 * month.events() / Math.max(1, max));
            bars.add(
                    Map.of(
                            "month",
                            month.month(),
                            "label",
                            month.month().substring(2),
                            "events",
                            month.events(),
                            "orders",
                            month.orders(),
                            "x",
                            x,
                            "y",
                            190 - height,
                            "height",
                            height,
                            "textX",
                            x + 18));
            x += 48;
        }
        return bars;
    }
}
