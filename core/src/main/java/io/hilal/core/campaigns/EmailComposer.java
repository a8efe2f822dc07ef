package io.hilal.core.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.catalog.LiveCatalog;
import io.hilal.core.reco.CustomerSignals;
import io.hilal.core.reco.CustomerSignalsDao;
import io.hilal.core.reco.LiveSales;
import io.hilal.core.reco.RecommendationModel;
import io.hilal.core.reco.Rows;
import io.hilal.core.reco.RowsFilter;
import io.hilal.core.reco.RowsService;
import io.hilal.core.reco.ScoredItem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Puts one customer's email together: their recommendation rows (without products they turned down,
 * and only products showable in the catalog now), the products' cards from the catalog, and the
 * offer rendered around them. The same code renders the preview and the real send, so what a
 * merchant previews is what goes out.
 */
public final class EmailComposer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final OfferRenderer renderer;
    private final CustomerSignalsDao signals;
    private final RowsService rows = new RowsService();
    private final LiveCatalog catalog;
    private final LiveSales sales;

    public EmailComposer(Jdbi jdbi, MailLinks links) {
        this(jdbi, links, new LiveCatalog(jdbi));
    }

    /** With the process's live catalog, shared with whatever else it serves. */
    public EmailComposer(Jdbi jdbi, MailLinks links, LiveCatalog catalog) {
        this.jdbi = jdbi;
        this.renderer = new OfferRenderer(links);
        this.signals = new CustomerSignalsDao(jdbi);
        this.catalog = catalog;
        this.sales = new LiveSales(jdbi);
    }

    /**
     * The email of a customer read here (their locale and attributes), as a preview shows it.
     *
     * @param cards a cache of product cards, shared across the emails of one batch
     */
    public OfferRenderer.RenderedEmail compose(
            Campaign campaign,
            OfferRenderer.Templates templates,
            RecommendationModel model,
            MailLinks.Recipient recipient,
            String email,
            SenderIdentity sender,
            String messageId,
            Map<String, OfferRenderer.ProductCard> cards) {
        return compose(
                campaign,
                templates,
                model,
                recipient,
                email,
                sender,
                messageId,
                cards,
                personal(recipient));
    }

    /**
     * The email of a customer whose locale and attributes the caller read already ({@link
     * #personal(String, String)}): the sender reads them with the claim, not one query per email.
     * The recommendation rows (the customer's signals, the catalog, the sales since training) are
     * only read when the templates may show them ({@link OfferRenderer.Templates#showsProducts}):
     * an email whose templates name no product renders the same without.
     *
     * @param cards a cache of product cards, shared across the emails of one batch
     */
    public OfferRenderer.RenderedEmail compose(
            Campaign campaign,
            OfferRenderer.Templates templates,
            RecommendationModel model,
            MailLinks.Recipient recipient,
            String email,
            SenderIdentity sender,
            String messageId,
            Map<String, OfferRenderer.ProductCard> cards,
            OfferRenderer.Personal personal) {
        return compose(
                campaign, templates, model, recipient, email, sender, messageId, cards, personal,
                null);
    }

    /**
     * As {@link #compose(Campaign, OfferRenderer.Templates, RecommendationModel,
     * MailLinks.Recipient, String, SenderIdentity, String, Map, OfferRenderer.Personal)}, with the
     * customer's signals read already for a chunk of emails ({@link #signals}); null reads them
     * here.
     */
    public OfferRenderer.RenderedEmail compose(
            Campaign campaign,
            OfferRenderer.Templates templates,
            RecommendationModel model,
            MailLinks.Recipient recipient,
            String email,
            SenderIdentity sender,
            String messageId,
            Map<String, OfferRenderer.ProductCard> cards,
            OfferRenderer.Personal personal,
            CustomerSignals customerSignals) {
        Rows customerRows =
                !templates.showsProducts()
                        ? new Rows(recipient.customerId(), false, List.of())
                        : rows(campaign, model, recipient, customerSignals);
        List<String> missing = new ArrayList<>();
        for (Rows.Row row : customerRows.rows()) {
            for (ScoredItem item : row.items()) {
                if (!cards.containsKey(item.productId())) {
                    missing.add(item.productId());
                }
            }
        }
        if (!missing.isEmpty()) {
            for (OfferRenderer.ProductCard card : cards(recipient.tenantId(), missing)) {
                cards.put(card.productId(), card);
            }
        }
        return renderer.render(
                templates,
                new OfferRenderer.Input(
                        recipient,
                        email,
                        campaign.name(),
                        campaign.offer().couponCode(),
                        customerRows,
                        cards,
                        sender,
                        messageId,
                        personal));
    }

    /**
     * The rows of products the campaign's email shows the customer, as {@link #compose} renders
     * them (the studio shows them beside the email): the rows API's email context, with the offer's
     * lead row first and cut to its row count; none without a model or a product block.
     */
    public Rows rows(
            Campaign campaign, RecommendationModel model, String tenantId, String customerId) {
        return rows(
                campaign,
                model,
                new MailLinks.Recipient(tenantId, campaign.id(), null, customerId),
                null);
    }

    /** {@link #rows(Campaign, RecommendationModel, String, String)}; null signals: read here. */
    private Rows rows(
            Campaign campaign,
            RecommendationModel model,
            MailLinks.Recipient recipient,
            CustomerSignals customerSignals) {
        CampaignRequest.ProductBlock block = campaign.offer().products();
        if (model == null || block == null) {
            return new Rows(recipient.customerId(), false, List.of());
        }
        Rows customerRows =
                rows.rows(
                        model,
                        null,
                        recipient.customerId(),
                        RowsService.Context.email(),
                        customerSignals != null
                                ? customerSignals
                                : signals.signals(
                                        recipient.tenantId(),
                                        recipient.customerId(),
                                        model.trainedAt()),
                        RowsFilter.NONE.withCatalog(catalog.snapshot(recipient.tenantId())),
                        sales.since(recipient.tenantId(), model.trainedAt()),
                        block.lead() == null ? block.rows() : MAX_ROWS_FOR_LEAD,
                        block.perRow());
        return leading(customerRows, block.lead(), block.rows());
    }

    /**
     * The signals of a chunk of recipients, for {@code model}, read in one query per kind of signal
     * rather than per email; empty without a model (no email then shows products).
     */
    public Map<String, CustomerSignals> signals(
            String tenantId, RecommendationModel model, Collection<String> customerIds) {
        if (model == null) {
            return Map.of();
        }
        return signals.signals(tenantId, customerIds, model.trainedAt());
    }

    /** Rows built when looking for a lead row: every kind an email can show. */
    private static final int MAX_ROWS_FOR_LEAD = CampaignRequest.ROW_IDS.size();

    /**
     * The rows with {@code lead} first when the customer has it, cut to {@code max}: the hero row
     * of a variant. Rows come strongest first, so the first {@code max} are those an email without
     * a lead would show.
     */
    static Rows leading(Rows rows, String lead, int max) {
        if (lead == null) {
            return rows;
        }
        List<Rows.Row> ordered = new ArrayList<>(rows.rows().size());
        boolean found = false;
        for (Rows.Row row : rows.rows()) {
            if (!found && row.id().equals(lead)) {
                found = true;
                ordered.add(0, row);
            } else {
                ordered.add(row);
            }
        }
        return new Rows(
                rows.customerId(),
                rows.personalized(),
                List.copyOf(ordered.subList(0, Math.min(max, ordered.size()))));
    }

    /** The customer's locale and attributes, for their language and their name in the email. */
    private OfferRenderer.Personal personal(MailLinks.Recipient recipient) {
        return jdbi.withExtension(
                        CustomerDao.class,
                        dao -> dao.find(recipient.tenantId(), recipient.customerId()))
                .map(customer -> personal(customer.locale(), customer.attributes()))
                .orElse(OfferRenderer.Personal.NONE);
    }

    /**
     * What an email knows of a customer from their row's locale and attributes (JSON text, as
     * stored); both null for a customer without a row, who gets {@link
     * OfferRenderer.Personal#NONE}'s email.
     */
    public static OfferRenderer.Personal personal(String locale, String attributes) {
        return new OfferRenderer.Personal(locale, attributes(attributes));
    }

    private static Map<String, Object> attributes(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> attributes = JSON.readValue(json, ATTRIBUTES);
            return attributes == null ? Map.of() : attributes;
        } catch (JsonProcessingException e) {
            return Map.of(); // stored by ingest as a JSON object; never fail an email for it
        }
    }

    private List<OfferRenderer.ProductCard> cards(String tenantId, List<String> productIds) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT product_id, title, price, currency, image_url,"
                                                + " product_url FROM products WHERE tenant_id ="
                                                + " :tenantId AND product_id IN (<ids>)")
                                .bind("tenantId", tenantId)
                                .bindList("ids", List.copyOf(Set.copyOf(productIds)))
                                .map(
                                        (rs, ctx) ->
                                                new OfferRenderer.ProductCard(
                                                        rs.getString(1),
                                                        rs.getString(2),
                                                        rs.getBigDecimal(3),
                                                        rs.getString(4),
                                                        rs.getString(5),
                                                        rs.getString(6)))
                                .list());
    }
}
