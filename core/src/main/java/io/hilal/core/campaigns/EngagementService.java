package io.hilal.core.campaigns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hilal.core.campaigns.mail.ClickTarget;
import io.hilal.core.campaigns.mail.LinkScanners;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.catalog.CustomerDao;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.events.EventIngestService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What recipients do with a campaign email's signed links, without a login: unsubscribe (the
 * address goes on the suppression list and consent is withdrawn, both committed before the answer,
 * so the next send already skips them), click a product (recorded as an {@code email_clicked}
 * event, then redirected), and "Not for me" (a thumbs-down {@code product_rated} event, which the
 * recommender leaves out of the customer's rows from then on).
 */
public final class EngagementService {
    public static final String UNSUBSCRIBE_REASON = "unsubscribe";

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final MailLinks links;
    private final EventIngestService events;

    public EngagementService(
            Jdbi jdbi,
            ObjectMapper mapper,
            Clock clock,
            MailLinks links,
            EventIngestService events) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
        this.links = links;
        this.events = events;
    }

    /**
     * Clicks of one link within this long count once: mail scanners and impatient double clicks
     * would otherwise inflate a campaign's clicks.
     */
    static final Duration CLICK_WINDOW = Duration.ofMinutes(10);

    /**
     * The link behind a token, or 404 for anything forged, altered or malformed, and for a link
     * whose campaign or customer does not exist (any more) in its tenant: nothing is then written.
     */
    public MailLinks.Link verify(MailLinks.Kind kind, String token) {
        MailLinks.Link link =
                links.verify(kind, token == null ? "" : token)
                        .orElseThrow(EngagementService::invalid);
        MailLinks.Recipient recipient = link.recipient();
        boolean exists =
                jdbi.withHandle(
                        handle ->
                                handle.attach(CampaignDao.class)
                                                .find(recipient.tenantId(), recipient.campaignId())
                                                .isPresent()
                                        && handle.attach(CustomerDao.class)
                                                .find(recipient.tenantId(), recipient.customerId())
                                                .isPresent());
        if (!exists) {
            throw invalid();
        }
        return link;
    }

    /**
     * The tenant a token's signature vouches for, without looking anything up: where the link's
     * queries must go. Empty for a token that is not a valid signed link of this kind.
     */
    public Optional<String> signedTenant(MailLinks.Kind kind, String token) {
        return links.verify(kind, token == null ? "" : token)
                .map(link -> link.recipient().tenantId());
    }

    private static NotFoundException invalid() {
        return new NotFoundException("This link is not valid");
    }

    /** The (masked) address an unsubscribe link is for, for the confirmation page. */
    public Optional<String> maskedEmail(MailLinks.Link link) {
        return email(link).map(EngagementService::mask);
    }

    /** Unsubscribes the link's recipient; doing it twice is harmless. */
    public MailLinks.Link unsubscribe(String token) {
        MailLinks.Link link = verify(MailLinks.Kind.UNSUBSCRIBE, token);
        MailLinks.Recipient recipient = link.recipient();
        if (recipient.testSend()) {
            return link; // a test email acts on no one, least of all the previewed customer
        }
        Instant now = clock.instant();
        Optional<String> email = email(link);
        jdbi.useTransaction(
                handle -> {
                    email.ifPresent(
                            address ->
                                    handle.attach(SuppressionDao.class)
                                            .suppress(
                                                    recipient.tenantId(),
                                                    address,
                                                    UNSUBSCRIBE_REASON,
                                                    now));
                    handle.createUpdate(
                                    "UPDATE customers SET email_consent = 'denied',"
                                            + " email_consent_source = :source, email_consent_at = :now,"
                                            + " email_consent_client_at = NULL,"
                                            + " updated_at = :now WHERE tenant_id = :tenantId"
                                            + " AND customer_id = :customerId")
                            .bind("source", "unsubscribe link " + recipient.campaignId())
                            .bind("now", now)
                            .bind("tenantId", recipient.tenantId())
                            .bind("customerId", recipient.customerId())
                            .execute();
                });
        record(link, "email_unsubscribed", "unsub-" + digest(token), null);
        return link;
    }

    /**
     * Records a click and returns where it goes: only ever an http or https URL, else 404 with
     * nothing recorded. Clicks of one link within {@link #CLICK_WINDOW} are one event (the same
     * message id, which ingest keeps once). A visit that {@link LinkScanners} takes for a mail
     * filter's is redirected all the same but not recorded.
     *
     * @param method the visit's HTTP method (a HEAD is a scanner's)
     * @param userAgent the visit's User-Agent header, null when it had none
     */
    public URI click(String token, String method, String userAgent) {
        MailLinks.Link link = verify(MailLinks.Kind.CLICK, token);
        URI target = ClickTarget.of(link.url()).orElseThrow(EngagementService::invalid);
        Instant now = clock.instant();
        Duration sinceDelivery =
                sentAt(link.recipient()).map(sent -> Duration.between(sent, now)).orElse(null);
        if (link.recipient().testSend()
                || LinkScanners.isScanner(method, userAgent, sinceDelivery)) {
            return target;
        }
        long window = now.getEpochSecond() / CLICK_WINDOW.toSeconds();
        record(link, "email_clicked", "click-" + digest(token) + "-" + window, null);
        return target;
    }

    /** When the ledger says the link's message went to the relay; empty for a test send. */
    private Optional<Instant> sentAt(MailLinks.Recipient recipient) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT sent_at FROM campaign_sends WHERE tenant_id ="
                                                + " :tenantId AND campaign_id = :campaignId AND"
                                                + " run_id = :runId AND customer_id = :customerId"
                                                + " AND sent_at IS NOT NULL")
                                .bind("tenantId", recipient.tenantId())
                                .bind("campaignId", recipient.campaignId())
                                .bind("runId", recipient.runId())
                                .bind("customerId", recipient.customerId())
                                .mapTo(Instant.class)
                                .findOne());
    }

    /**
     * Records "Not for me" as a thumbs-down on the product: only on the confirmation page's POST,
     * since mail filters GET every link of a message.
     */
    public MailLinks.Link notForMe(String token) {
        MailLinks.Link link = verify(MailLinks.Kind.NOT_FOR_ME, token);
        if (!link.recipient().testSend()) {
            record(link, "product_rated", "nfm-" + digest(token), "down");
        }
        return link;
    }

    private Optional<String> email(MailLinks.Link link) {
        return jdbi.withExtension(
                        CustomerDao.class,
                        dao -> dao.find(link.recipient().tenantId(), link.recipient().customerId()))
                .map(CustomerDao.CustomerRow::email);
    }

    private void record(MailLinks.Link link, String type, String messageId, String rating) {
        MailLinks.Recipient recipient = link.recipient();
        ObjectNode event = mapper.createObjectNode();
        event.put("messageId", messageId);
        event.put("type", type);
        event.put("customerId", recipient.customerId());
        event.put("timestamp", clock.instant().toString());
        if (rating != null) {
            event.put("productId", link.productId());
            event.put("rating", rating);
        } else {
            ObjectNode properties = event.putObject("properties");
            properties.put("campaignId", recipient.campaignId());
            properties.put("runId", recipient.runId());
            if (link.productId() != null) {
                properties.put("productId", link.productId());
            }
        }
        event.putObject("context").put("campaignId", recipient.campaignId());
        events.ingest(recipient.tenantId(), List.<JsonNode>of(event));
    }

    static String mask(String email) {
        int at = email.indexOf('@');
        if (at <= 1) {
            return "***" + email.substring(Math.max(0, at));
        }
        return email.charAt(0) + "***" + email.substring(at);
    }

    private static String digest(String token) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
