package io.hilal.core.catalog;

import io.hilal.core.error.Checks;
import java.util.Map;

/**
 * The writable fields of a customer. An upsert replaces them all; a field left out becomes empty.
 */
public record CustomerUpsert(
        String id,
        String email,
        String timeZone,
        String locale,
        EmailConsent emailConsent,
        Map<String, Object> attributes) {

    public CustomerUpsert withId(String newId) {
        return new CustomerUpsert(newId, email, timeZone, locale, emailConsent, attributes);
    }

    public Checks check(String prefix) {
        Checks checks = new Checks();
        checks.id(prefix + "id", id, true)
                .email(prefix + "email", email)
                .timeZone(prefix + "timeZone", timeZone)
                .locale(prefix + "locale", locale);
        if (emailConsent != null) {
            String status = emailConsent.status();
            if (!EmailConsent.GRANTED.equals(status) && !EmailConsent.DENIED.equals(status)) {
                checks.fail(prefix + "emailConsent.status", "must be 'granted' or 'denied'");
            }
            checks.maxLength(prefix + "emailConsent.source", emailConsent.source(), 100);
        }
        return checks;
    }
}
