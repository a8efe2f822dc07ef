package io.hilal.service.campaigns;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.lifecycle.Managed;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The built-in SMTP capture of {@code ./hilal serve} when no relay is configured: a local SMTP
 * server (GreenMail, on 127.0.0.1 and a free port) that keeps campaign mail in memory for the
 * dashboard's outbox instead of delivering it, so nothing leaves the machine. It is not started
 * unless a worker in this process has no relay; each email is tied to its campaign by the {@code
 * X-Hilal-Campaign} header, so the dashboard shows a tenant only the mail of its own campaigns.
 */
public final class MailCapture implements Managed {
    /** The header the offer renderer sets to the campaign id. */
    static final String CAMPAIGN_HEADER = "X-Hilal-Campaign";

    /** One captured email. */
    public record Email(
            String campaignId,
            String to,
            String subject,
            String text,
            String html,
            Instant receivedAt) {}

    private volatile GreenMail server;

    /** Starts the capture (once) and answers its SMTP port on 127.0.0.1. */
    public synchronized int open() {
        if (server == null) {
            GreenMail started =
                    new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
            started.start();
            server = started;
        }
        return server.getSmtp().getPort();
    }

    /** Whether mail goes to this capture (a worker in this process has no relay). */
    public boolean running() {
        return server != null;
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** What the capture holds for the campaigns {@code visible} accepts. */
    public record Contents(int count, List<Email> latest) {}

    /**
     * The number of emails of the campaigns {@code visible} accepts (asked once per campaign) and
     * the latest {@code limit} of them, newest first.
     */
    public Contents contents(Predicate<String> visible, int limit) {
        Map<String, Boolean> answers = new HashMap<>();
        MimeMessage[] messages = received();
        List<Email> latest = new ArrayList<>();
        int count = 0;
        for (int i = messages.length - 1; i >= 0; i--) {
            String campaignId = campaignOf(messages[i]);
            if (answers.computeIfAbsent(campaignId, visible::test)) {
                count++;
                if (latest.size() < limit) {
                    latest.add(email(campaignId, messages[i]));
                }
            }
        }
        return new Contents(count, latest);
    }

    private MimeMessage[] received() {
        GreenMail current = server;
        return current == null ? new MimeMessage[0] : current.getReceivedMessages();
    }

    private static String campaignOf(MimeMessage message) {
        try {
            String value = message.getHeader(CAMPAIGN_HEADER, null);
            return value == null ? "" : value.strip();
        } catch (MessagingException e) {
            return "";
        }
    }

    private static Email email(String campaignId, MimeMessage message) {
        try {
            String text = "";
            String html = "";
            Object content = message.getContent();
            if (content instanceof Multipart parts) {
                for (int i = 0; i < parts.getCount(); i++) {
                    BodyPart part = parts.getBodyPart(i);
                    if (part.isMimeType("text/plain")) {
                        text = part.getContent().toString();
                    } else if (part.isMimeType("text/html")) {
                        html = part.getContent().toString();
                    }
                }
            } else if (content != null) {
                text = content.toString();
            }
            var to = message.getRecipients(Message.RecipientType.TO);
            Instant received =
                    message.getReceivedDate() != null
                            ? message.getReceivedDate().toInstant()
                            : message.getSentDate() != null
                                    ? message.getSentDate().toInstant()
                                    : null;
            return new Email(
                    campaignId,
                    to == null || to.length == 0 ? "" : to[0].toString(),
                    message.getSubject() == null ? "" : message.getSubject(),
                    text,
                    html,
                    received);
        } catch (MessagingException | IOException e) {
            return new Email(campaignId, "", "(unreadable: " + e.getMessage() + ")", "", "", null);
        }
    }
}
