package io.hilal.sdk;

import io.hilal.sdk.model.EmailConsent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A customer's details for {@link HilalClient#upsertCustomer}. An upsert replaces every field, so a
 * field you leave out becomes empty: send the whole customer each time, as your shop knows it.
 *
 * @param id your id for the customer (1 to 128 characters)
 * @param email their email address
 * @param timeZone an IANA time zone such as {@code Asia/Riyadh}; null means the tenant's
 * @param locale a BCP 47 language tag such as {@code ar-SA}
 * @param emailConsent their marketing email consent
 * @param attributes your own fields (strings, numbers, booleans, lists, maps)
 */
public record CustomerParams(
        String id,
        String email,
        String timeZone,
        String locale,
        EmailConsent emailConsent,
        Map<String, Object> attributes) {

    /**
     * A builder for the customer {@code id}.
     *
     * @param id your id for the customer
     * @return the builder
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Builds {@link CustomerParams}. */
    public static final class Builder {
        private final String id;
        private String email;
        private String timeZone;
        private String locale;
        private EmailConsent emailConsent;
        private final Map<String, Object> attributes = new LinkedHashMap<>();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        /**
         * Their email address.
         *
         * @param email the address
         * @return this builder
         */
        public Builder email(String email) {
            this.email = email;
            return this;
        }

        /**
         * Their IANA time zone, used to send campaigns at a local hour.
         *
         * @param timeZone e.g. {@code Asia/Riyadh}
         * @return this builder
         */
        public Builder timeZone(String timeZone) {
            this.timeZone = timeZone;
            return this;
        }

        /**
         * Their language, as a BCP 47 tag.
         *
         * @param locale e.g. {@code ar-SA}
         * @return this builder
         */
        public Builder locale(String locale) {
            this.locale = locale;
            return this;
        }

        /**
         * Their marketing email consent, e.g. {@code EmailConsent.granted("checkout")}.
         *
         * @param consent the consent
         * @return this builder
         */
        public Builder emailConsent(EmailConsent consent) {
            this.emailConsent = consent;
            return this;
        }

        /**
         * One of your own fields.
         *
         * @param name the field's name
         * @param value a string, number, boolean, list or map
         * @return this builder
         */
        public Builder attribute(String name, Object value) {
            attributes.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        /**
         * Your own fields, added to those set before.
         *
         * @param values the fields
         * @return this builder
         */
        public Builder attributes(Map<String, ?> values) {
            values.forEach(this::attribute);
            return this;
        }

        /**
         * The params.
         *
         * @return the customer's details
         */
        public CustomerParams build() {
            return new CustomerParams(
                    id,
                    email,
                    timeZone,
                    locale,
                    emailConsent,
                    attributes.isEmpty()
                            ? null
                            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes)));
        }
    }
}
