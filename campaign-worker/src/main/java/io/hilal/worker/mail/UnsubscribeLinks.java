package io.hilal.worker.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-click unsubscribe (RFC 8058): every campaign email carries a {@code List-Unsubscribe} header
 * with an https link and a mailto address, and {@code List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click}. The link holds an HMAC-signed token naming the tenant, the customer
 * and the campaign, so one POST unsubscribes without a login and cannot be forged for someone else.
 */
public final class UnsubscribeLinks {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] secret;
    private final String baseUrl;
    private final String mailbox;

    public UnsubscribeLinks(byte[] secret, String baseUrl, String mailbox) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the unsubscribe secret needs at least 32 bytes");
        }
        this.secret = secret.clone();
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.mailbox = mailbox;
    }

    /** Who an unsubscribe token is for. */
    public record Subject(String tenantId, String customerId, String campaignId) {}

    public String token(Subject subject) {
        String payload =
                subject.tenantId() + "\n" + subject.customerId() + "\n" + subject.campaignId();
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(sign(body));
    }

    /** The subject of a genuine token; empty for anything forged, altered or malformed. */
    public Optional<Subject> verify(String token) {
        try {
            int dot = token.indexOf('.');
            if (dot < 0) {
                return Optional.empty();
            }
            byte[] body = DECODER.decode(token.substring(0, dot));
            byte[] signature = DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(sign(body), signature)) {
                return Optional.empty();
            }
            String[] parts = new String(body, StandardCharsets.UTF_8).split("\n", -1);
            return parts.length == 3
                    ? Optional.of(new Subject(parts[0], parts[1], parts[2]))
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String url(Subject subject) {
        return baseUrl + "/u/" + token(subject);
    }

    /** Adds the RFC 2369 and RFC 8058 headers to a message. */
    public void addHeaders(MimeMessage message, Subject subject) throws MessagingException {
        String token = token(subject);
        message.setHeader(
                "List-Unsubscribe",
                "<"
                        + baseUrl
                        + "/u/"
                        + token
                        + ">, <mailto:"
                        + mailbox
                        + "?subject=unsubscribe%20"
                        + token
                        + ">");
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }

    private byte[] sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
