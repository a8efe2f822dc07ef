package io.hilal.core.error;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every broken rule of one request before failing, so a client fixes all fields at once
 * rather than one per round trip.
 */
public final class Checks {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    public static final int MAX_ID_LENGTH = 128;

    private final List<FieldError> errors = new ArrayList<>();

    public Checks fail(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    /** Adds every failure of {@code other}. */
    public Checks merge(Checks other) {
        errors.addAll(other.errors);
        return this;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** Throws a {@link ValidationException} naming every failure so far. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    /** One line for an item in a batch: "field: message; field: message". */
    public String summary() {
        StringBuilder text = new StringBuilder();
        for (FieldError error : errors) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(error.field()).append(": ").append(error.message());
        }
        return text.toString();
    }

    public Checks required(String field, Object value) {
        if (value == null || (value instanceof String text && text.isBlank())) {
            fail(field, "is required");
        }
        return this;
    }

    /**
     * A client id: 1 to 128 characters, none of them '/', '%' or '\\', a control or format
     * character (bidi overrides, zero-width characters) or a line separator. Ids appear in URLs
     * ({@code /v1/customers/{id}}); an id that a URL cannot carry unchanged could be written but
     * never read, erased or told apart from a look-alike.
     */
    public Checks id(String field, String value, boolean required) {
        if (value == null) {
            return required ? fail(field, "is required") : this;
        }
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            return fail(field, "must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (!idCharacter(value.charAt(i))) {
                return fail(
                        field,
                        "must not contain '/', '%', '\\', control, format or bidi characters");
            }
        }
        if (!value.equals(value.strip())) {
            return fail(field, "must not start or end with white space");
        }
        return this;
    }

    static boolean idCharacter(char c) {
        if (c == '/' || c == '%' || c == '\\' || Character.isISOControl(c)) {
            return false;
        }
        int type = Character.getType(c);
        return type != Character.FORMAT
                && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE;
    }

    /** Text that ends up in a mail header: no line breaks or other control characters. */
    public Checks oneLine(String field, String value) {
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (Character.isISOControl(c)
                        || Character.getType(c) == Character.LINE_SEPARATOR
                        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                    return fail(field, "must be one line without control characters");
                }
            }
        }
        return this;
    }

    public Checks maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            fail(field, "must be at most " + max + " characters");
        }
        return this;
    }

    public Checks email(String field, String value) {
        if (value != null && (value.length() > 320 || !EMAIL.matcher(value).matches())) {
            fail(field, "is not an email address");
        }
        return this;
    }

    public Checks timeZone(String field, String value) {
        if (value != null) {
            try {
                ZoneId.of(value);
            } catch (DateTimeException e) {
                fail(field, "is not a time zone (use an IANA name like Asia/Riyadh)");
            }
        }
        return this;
    }

    public Checks locale(String field, String value) {
        if (value != null && (value.length() > 35 || !LOCALE.matcher(value).matches())) {
            fail(field, "is not a BCP 47 language tag (like ar-SA)");
        }
        return this;
    }

    public Checks currency(String field, String value) {
        if (value == null) {
            return this;
        }
        if (!CURRENCY.matcher(value).matches()) {
            return fail(field, "must be an ISO 4217 code like USD");
        }
        try {
            Currency.getInstance(value);
        } catch (IllegalArgumentException e) {
            fail(field, "is not an ISO 4217 currency");
        }
        return this;
    }

    public Checks nonNegative(String field, BigDecimal value) {
        if (value != null && value.signum() < 0) {
            fail(field, "must not be negative");
        }
        return this;
    }

    public Checks httpUrl(String field, String value) {
        if (value == null) {
            return this;
        }
        if (value.length() > 2048) {
            return fail(field, "must be at most 2048 characters");
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (!uri.isAbsolute()
                    || uri.getHost() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                fail(field, "must be an absolute http or https URL");
            }
        } catch (URISyntaxException e) {
            fail(field, "is not a URL");
        }
        return this;
    }
}
