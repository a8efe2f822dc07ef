package io.hilal.core.campaigns.mail;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration of campaign email links, shared by the service (which verifies them) and the worker
 * (which signs them): the HMAC secret (only ever from the environment), the public URL the links
 * point at, the mailbox of mailto unsubscribes and the domain of Message-IDs. Without a secret,
 * only an embedded (demo or laptop) setup may start, with a fixed development secret.
 */
public class MailLinksFactory {
    private static final Logger LOG = LoggerFactory.getLogger(MailLinksFactory.class);

    /** Public knowledge, so links signed with it prove nothing: development only. */
    static final String DEVELOPMENT_SECRET = "hilal-development-link-secret-not-for-production";

    @NotNull private String secret = "";

    @NotEmpty private String publicBaseUrl = "http://localhost:8080";

    @NotEmpty private String unsubscribeMailbox = "unsubscribe@hilal.invalid";

    @NotEmpty private String messageIdDomain = "mail.hilal.invalid";

    @JsonProperty
    public String getSecret() {
        return secret;
    }

    @JsonProperty
    public void setSecret(String secret) {
        this.secret = secret == null ? "" : secret;
    }

    @JsonProperty
    public String getPublicBaseUrl() {
        return publicBaseUrl;
    }

    @JsonProperty
    public void setPublicBaseUrl(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    @JsonProperty
    public String getUnsubscribeMailbox() {
        return unsubscribeMailbox;
    }

    @JsonProperty
    public void setUnsubscribeMailbox(String unsubscribeMailbox) {
        this.unsubscribeMailbox = unsubscribeMailbox;
    }

    @JsonProperty
    public String getMessageIdDomain() {
        return messageIdDomain;
    }

    @JsonProperty
    public void setMessageIdDomain(String messageIdDomain) {
        this.messageIdDomain = messageIdDomain;
    }

    /**
     * The links; {@code embedded} says whether the database is the embedded one, the only setup
     * allowed to fall back to the development secret.
     */
    public MailLinks build(boolean embedded) {
        String key = secret;
        if (key.isEmpty()) {
            if (!embedded) {
                throw new IllegalStateException(
                        "HILAL_LINK_SECRET is not set: campaign links cannot be signed (use 32+"
                                + " random bytes, e.g. openssl rand -hex 32)");
            }
            LOG.warn("HILAL_LINK_SECRET is not set: using the development link secret");
            key = DEVELOPMENT_SECRET;
        }
        if (key.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException("HILAL_LINK_SECRET must be at least 32 bytes");
        }
        return new MailLinks(
                key.getBytes(StandardCharsets.UTF_8), publicBaseUrl, unsubscribeMailbox);
    }
}
