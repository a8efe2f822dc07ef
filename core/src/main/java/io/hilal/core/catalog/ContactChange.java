package io.hilal.core.catalog;

import io.hilal.core.error.ForbiddenException;
import java.util.Locale;
import java.util.Objects;

/**
 * Whether a merge would change how a customer is reached: their email address or their email
 * consent. Sending the values already stored is no change (browser libraries repeat the email in
 * every identify call); setting them on a customer who has none is one.
 */
final class ContactChange {
    private ContactChange() {}

    static boolean changesEmail(Customer current, CustomerUpsert changes) {
        if (changes.email() == null) {
            return false;
        }
        String stored = current == null ? null : current.email();
        return stored == null
                || !stored.strip()
                        .toLowerCase(Locale.ROOT)
                        .equals(changes.email().strip().toLowerCase(Locale.ROOT));
    }

    static boolean changesConsent(Customer current, CustomerUpsert changes) {
        if (changes.emailConsent() == null) {
            return false;
        }
        EmailConsent stored = current == null ? null : current.emailConsent();
        return stored == null || !Objects.equals(stored.status(), changes.emailConsent().status());
    }

    static void requireNone(Customer current, CustomerUpsert changes) {
        if (changesEmail(current, changes) || changesConsent(current, changes)) {
            throw new ForbiddenException(
                    "Changing a customer's email or email consent needs a server-side key with"
                            + " the 'ingest' scope; a 'client' key cannot");
        }
    }
}
