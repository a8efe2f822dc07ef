package io.hilal.core.campaigns.mail;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed links of a campaign email: one-click unsubscribe (RFC 8058), click tracking and "Not
 * for me". Each link holds an HMAC-signed token naming the tenant, campaign, run and customer (and
 * for product links the product), so a link works without a login or an API key, carries no tenant
 * in the URL outside the signature, and cannot be forged or re-pointed at someone else. Every
 * message carries {@code List-Unsubscribe} with an https link and a mailto address, and {@code
 * List-Unsubscribe-Post: List-Unsubscribe=One-Click}.
 */
public final class MailLinks {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] secret;
    private final String baseUrl;
    private final String mailbox;
    // A Mac is not thread-safe, and looking one up and keying it costs more than signing a token.
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public MailLinks(byte[] secret, String baseUrl, String mailbox) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the link secret needs at least 32 bytes");
        }
        this.secret = secret.clone();
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.mailbox = mailbox;
    }

    /** What a link does; the letter is part of the signed payload, so kinds cannot be swapped. */
    public enum Kind {
        UNSUBSCRIBE("u", "/v1/unsubscribe/"),
        CLICK("c", "/v1/c/"),
        NOT_FOR_ME("n", "/v1/nfm/");

        private final String tag;
        private final String path;

        Kind(String tag, String path) {
            this.tag = tag;
            this.path = path;
        }
    }

    /**
     * The run of a test send's links: a test email is rendered as a chosen customer would get it,
     * and its links must not act on that customer (see {@link Recipient#testSend()}).
     */
    public static final String TEST_SEND_RUN = "test-send";

    /** Whom a message went to: one ledger row. */
    public record Recipient(String tenantId, String campaignId, String runId, String customerId) {
        /** Whether the links are a test email's: they answer, but change and count nothing. */
        public boolean testSend() {
            return TEST_SEND_RUN.equals(runId);
        }
    }

    /** A verified link: its recipient, and for product links the product and target URL. */
    public record Link(Kind kind, Recipient recipient, String productId, String url) {}

    public String token(Kind kind, Recipient recipient, String productId, String url) {
        String payload =
                String.join(
                        "\n",
                        kind.tag,
                        recipient.tenantId(),
                        recipient.campaignId(),
                        recipient.runId(),
                        recipient.customerId(),
                        productId == null ? "" : productId,
                        url == null ? "" : url);
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(sign(body));
    }

    /**
     * The link of a genuine token of this kind; empty for anything forged, altered or malformed.
     */
    public Optional<Link> verify(Kind kind, String token) {
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
            if (parts.length != 7 || !parts[0].equals(kind.tag)) {
                return Optional.empty();
            }
            return Optional.of(
                    new Link(
                            kind,
                            new Recipient(parts[1], parts[2], parts[3], parts[4]),
                            parts[5].isEmpty() ? null : parts[5],
                            parts[6].isEmpty() ? null : parts[6]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String unsubscribeUrl(Recipient recipient) {
        return unsubscribe(recipient).url();
    }

    public String clickUrl(Recipient recipient, String productId, String targetUrl) {
        return baseUrl + Kind.CLICK.path + token(Kind.CLICK, recipient, productId, targetUrl);
    }

    public String notForMeUrl(Recipient recipient, String productId) {
        return baseUrl + Kind.NOT_FOR_ME.path + token(Kind.NOT_FOR_ME, recipient, productId, null);
    }

    /** The RFC 2369 and RFC 8058 headers of a message to {@code recipient}. */
    public Map<String, String> headers(Recipient recipient) {
        return unsubscribe(recipient).headers();
    }

    /** A message's unsubscribe link and the headers that carry it, signed once. */
    public record Unsubscribe(String url, Map<String, String> headers) {}

    public Unsubscribe unsubscribe(Recipient recipient) {
        String token = token(Kind.UNSUBSCRIBE, recipient, null, null);
        String url = baseUrl + Kind.UNSUBSCRIBE.path + token;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                "List-Unsubscribe",
                "<"
                        + url
                        + ">, <mailto:"
                        + mailbox
                        // A token is URL-safe base64 and a dot: only the space needs encoding.
                        + "?subject=unsubscribe%20"
                        + token
                        + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return new Unsubscribe(url, headers);
    }

    private byte[] sign(byte[] body) {
        return macs.get().doFinal(body);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
