package io.hilal.core.campaigns.feedback;

import java.time.Instant;
import java.util.List;

/**
 * The body of {@code POST /v1/mail-events}: bounce and complaint notifications in one generic
 * shape, whatever relay they came from (README shows how Amazon SES, Postmark, SendGrid and Mailgun
 * map onto it).
 */
public record MailEventRequest(List<Notification> notifications) {
    /**
     * One notification.
     *
     * @param id the relay's id of the notification: a notification delivered twice is recorded once
     *     (without one, the other fields identify it)
     * @param type {@code bounce} or {@code complaint}
     * @param bounceType {@code permanent} (the default: the address does not take mail) or {@code
     *     transient} (recorded, not suppressed); only for bounces
     * @param email the address that bounced or complained
     * @param messageId the Message-ID header of the email it is about, which names Hilal's campaign
     *     and send
     * @param campaignId the campaign, when the relay passed it on (the {@code X-Hilal-Campaign}
     *     header) and there is no Message-ID
     * @param occurredAt when the relay saw it; now when absent
     * @param detail the relay's diagnostic (e.g. {@code 550 5.1.1 user unknown}), cut to 500
     *     characters
     */
    public record Notification(
            String id,
            String type,
            String bounceType,
            String email,
            String messageId,
            String campaignId,
            Instant occurredAt,
            String detail) {}
}
