package io.hilal.core.campaigns;

import io.hilal.core.error.Checks;
import java.time.Instant;

/**
 * Who a tenant's campaign mail is from, where replies go, the postal address every message must
 * carry (CAN-SPAM and similar laws ask for one), and the shop's website for product links that have
 * no URL of their own. A tenant cannot launch a campaign before it has one.
 */
public record SenderIdentity(
        String fromAddress,
        String fromName,
        String replyTo,
        String postalAddress,
        String websiteUrl,
        Instant updatedAt) {

    public Checks validate() {
        return new Checks()
                .required("fromAddress", fromAddress)
                .email("fromAddress", fromAddress)
                .required("fromName", fromName)
                .maxLength("fromName", fromName, 200)
                .oneLine("fromName", fromName)
                .email("replyTo", replyTo)
                .required("postalAddress", postalAddress)
                .maxLength("postalAddress", postalAddress, 500)
                .httpUrl("websiteUrl", websiteUrl);
    }
}
