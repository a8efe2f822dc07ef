package io.hilal.core.campaigns.feedback;

import io.hilal.core.campaigns.SuppressionDao;
import io.hilal.core.campaigns.sending.SendLedger;
import io.hilal.core.error.Checks;
import io.hilal.core.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Bounces and complaints: recorded in {@code mail_events} and, for a permanent bounce or a
 * complaint, the address put on the suppression list in the same transaction, so no campaign emails
 * it again. They come from a relay's webhook ({@link #receive}) or from the relay refusing a
 * recipient for good while Hilal sends ({@link #recipientRefused}). A notification is tied to the
 * campaign, run and customer of the email it names (by Message-ID, else by campaign and address),
 * and only ever within the tenant whose key delivered it.
 */
public final class MailEventService {
    public static final String BOUNCE = "bounce";
    public static final String COMPLAINT = "complaint";
    static final int MAX_NOTIFICATIONS = 100;
    static final int MAX_DETAIL = 500;

    /** What one delivery of notifications did. */
    public record Received(int recorded, int duplicates, int suppressing) {}

    private final Jdbi jdbi;
    private final Clock clock;

    public MailEventService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Records a webhook's notifications: all of them, or (on a validation error) none. */
    public Received receive(String tenantId, MailEventRequest request) {
        List<MailEventRequest.Notification> notifications = validate(request);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return jdbi.inTransaction(
                handle -> {
                    int fresh = 0;
                    int suppressing = 0;
                    for (MailEventRequest.Notification notification : notifications) {
                        String kind = notification.type().strip().toLowerCase(Locale.ROOT);
                        boolean permanent =
                                COMPLAINT.equals(kind)
                                        || notification.bounceType() == null
                                        || "permanent"
                                                .equalsIgnoreCase(
                                                        notification.bounceType().strip());
                        String email = notification.email().strip();
                        String messageId = normalizedMessageId(notification.messageId());
                        Optional<MailEventDao.Send> send =
                                send(handle, tenantId, notification.campaignId(), messageId, email);
                        Instant occurredAt =
                                notification.occurredAt() == null
                                        ? now
                                        : notification.occurredAt().truncatedTo(ChronoUnit.MILLIS);
                        String eventId =
                                notification.id() != null && !notification.id().isBlank()
                                        ? notification.id().strip()
                                        : "h-"
                                                + digest(
                                                        String.join(
                                                                "\n",
                                                                kind,
                                                                String.valueOf(permanent),
                                                                email,
                                                                String.valueOf(messageId),
                                                                occurredAt.toString()));
                        int inserted =
                                handle.attach(MailEventDao.class)
                                        .insert(
                                                tenantId,
                                                new MailEventDao.Row(
                                                        eventId,
                                                        kind,
                                                        permanent,
                                                        email,
                                                        send.map(MailEventDao.Send::campaignId)
                                                                .orElse(null),
                                                        send.map(MailEventDao.Send::runId)
                                                                .orElse(null),
                                                        send.map(MailEventDao.Send::customerId)
                                                                .orElse(null),
                                                        messageId,
                                                        "webhook",
                                                        cut(notification.detail()),
                                                        occurredAt,
                                                        now));
                        fresh += inserted;
                        if (permanent) {
                            suppressing++;
                            suppress(handle, tenantId, kind, email, send, now);
                        }
                    }
                    return new Received(fresh, notifications.size() - fresh, suppressing);
                });
    }

    /**
     * The relay refused {@code email} for good (a 5xx to its RCPT) while sending: a permanent
     * bounce of that send, which suppresses the address.
     */
    public void recipientRefused(
            SendLedger.Run run, String customerId, String email, String messageId, String reason) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        jdbi.useTransaction(
                handle -> {
                    handle.attach(MailEventDao.class)
                            .insert(
                                    run.tenantId(),
                                    new MailEventDao.Row(
                                            "smtp-" + digest(messageId),
                                            BOUNCE,
                                            true,
                                            email,
                                            run.campaignId(),
                                            run.runId(),
                                            customerId,
                                            messageId,
                                            "smtp",
                                            cut(reason),
                                            now,
                                            now));
                    handle.attach(SuppressionDao.class)
                            .suppress(run.tenantId(), email, BOUNCE, now);
                });
    }

    private static void suppress(
            Handle handle,
            String tenantId,
            String kind,
            String email,
            Optional<MailEventDao.Send> send,
            Instant now) {
        // The relay may spell the address differently from the customer record (case).
        Set<String> addresses = new LinkedHashSet<>();
        addresses.add(email);
        send.map(MailEventDao.Send::email).ifPresent(addresses::add);
        SuppressionDao suppressions = handle.attach(SuppressionDao.class);
        for (String address : addresses) {
            suppressions.suppress(tenantId, address, kind, now);
        }
    }

    /** The send a notification names, looked for only in this tenant's ledger. */
    private static Optional<MailEventDao.Send> send(
            Handle handle, String tenantId, String campaignId, String messageId, String email) {
        MailEventDao dao = handle.attach(MailEventDao.class);
        String campaign = campaignId;
        if (messageId != null) {
            String named = campaignOf(messageId);
            if (campaign == null) {
                campaign = named;
            }
            if (campaign != null) {
                Optional<MailEventDao.Send> send =
                        dao.sendByMessageId(tenantId, campaign, messageId);
                if (send.isPresent()) {
                    return send;
                }
            }
        }
        return campaign == null ? Optional.empty() : dao.sendByEmail(tenantId, campaign, email);
    }

    /**
     * The campaign a Hilal Message-ID names: {@code <digest.campaign@domain>} (see {@link
     * SendLedger#messageId}); null for anyone else's.
     */
    static String campaignOf(String messageId) {
        int at = messageId.lastIndexOf('@');
        int dot = messageId.indexOf('.');
        if (dot < 0 || at < dot + 2) {
            return null;
        }
        return messageId.substring(dot + 1, at);
    }

    /** A Message-ID in angle brackets, as Hilal sets it; relays often drop them. */
    static String normalizedMessageId(String messageId) {
        if (messageId == null || messageId.isBlank()) {
            return null;
        }
        String id = messageId.strip();
        if (!id.startsWith("<")) {
            id = "<" + id;
        }
        if (!id.endsWith(">")) {
            id = id + ">";
        }
        return id;
    }

    private static List<MailEventRequest.Notification> validate(MailEventRequest request) {
        Checks checks = new Checks();
        List<MailEventRequest.Notification> notifications =
                request == null || request.notifications() == null
                        ? List.of()
                        : request.notifications();
        if (notifications.isEmpty()) {
            checks.fail("notifications", "must hold 1 to " + MAX_NOTIFICATIONS + " notifications");
        } else if (notifications.size() > MAX_NOTIFICATIONS) {
            checks.fail("notifications", "must hold at most " + MAX_NOTIFICATIONS);
        }
        List<MailEventRequest.Notification> valid = new ArrayList<>();
        for (int i = 0; i < notifications.size() && i < MAX_NOTIFICATIONS; i++) {
            MailEventRequest.Notification notification = notifications.get(i);
            String at = "notifications[" + i + "].";
            if (notification == null) {
                checks.fail("notifications[" + i + "]", "is required");
                continue;
            }
            String type =
                    notification.type() == null
                            ? null
                            : notification.type().strip().toLowerCase(Locale.ROOT);
            checks.required(at + "type", type);
            if (type != null
                    && !type.isEmpty()
                    && !BOUNCE.equals(type)
                    && !COMPLAINT.equals(type)) {
                checks.fail(at + "type", "must be bounce or complaint");
            }
            String bounceType = notification.bounceType();
            if (bounceType != null) {
                String value = bounceType.strip().toLowerCase(Locale.ROOT);
                if (!"permanent".equals(value) && !"transient".equals(value)) {
                    checks.fail(at + "bounceType", "must be permanent or transient");
                } else if (COMPLAINT.equals(type)) {
                    checks.fail(at + "bounceType", "is only for bounces");
                }
            }
            checks.required(at + "email", notification.email())
                    .email(
                            at + "email",
                            notification.email() == null ? null : notification.email().strip())
                    .maxLength(at + "id", notification.id(), 100)
                    .oneLine(at + "messageId", notification.messageId())
                    .maxLength(at + "messageId", notification.messageId(), 253)
                    .maxLength(at + "campaignId", notification.campaignId(), 40);
            valid.add(notification);
        }
        if (!checks.ok()) {
            throw new ValidationException(checks.errors());
        }
        return valid;
    }

    private static String cut(String detail) {
        if (detail == null) {
            return null;
        }
        String text = detail.strip();
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL - 3) + "...";
    }

    private static String digest(String text) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
