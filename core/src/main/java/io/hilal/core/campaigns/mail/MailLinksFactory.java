package io.hilal.core.campaigns.mail;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hilal.core.db.DatabaseFactory;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration of campaign email links, shared by the service (which verifies them) and the worker
 * (which signs them): the HMAC secret (only ever from the environment), the public URL the links
 * point at, the mailbox of mailto unsubscribes and the domain of Message-IDs. Without a secret,
 * only an embedded setup may start: it signs with a random secret of its own, kept in its data
 * folder ({@link LinkSecretFile}). Links are never signed with anything written in the source.
 */
public class MailLinksFactory {
    private static final Logger LOG = LoggerFactory.getLogger(MailLinksFactory.class);

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
     * The links. Without {@code HILAL_LINK_SECRET}, an embedded {@code database} lends its data
     * folder to keep the installation's own secret in; an external one cannot (its instances may
     * run on several machines, which must all sign alike), so starting is refused.
     */
    public MailLinks build(DatabaseFactory database) {
        String key = secret;
        if (key.isEmpty()) {
            if (!database.isEmbedded()) {
                throw new IllegalStateException(
                        "HILAL_LINK_SECRET is not set: campaign links cannot be signed. With an"
                                + " external database, set it to 32+ random bytes (e.g. openssl"
                                + " rand -hex 32), the same for every service and worker instance");
            }
            Path folder = Path.of(database.getDataDir());
            key = LinkSecretFile.readOrCreate(folder);
            LOG.info(
                    "HILAL_LINK_SECRET is not set: signing links with this installation's secret"
                            + " in {}",
                    folder.resolve(LinkSecretFile.NAME).toAbsolutePath());
        }
        if (key.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException("HILAL_LINK_SECRET must be at least 32 bytes");
        }
        return new MailLinks(
                key.getBytes(StandardCharsets.UTF_8), publicBaseUrl, unsubscribeMailbox);
    }
}
