package io.hilal.service.recommendations;

import io.hilal.core.error.BadRequestException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which of an item's fields an answer carries, from the {@code fields} parameter: all of them by
 * default, or a comma-separated few ({@code fields=id} for product ids only). The product id is
 * always there: an item is nothing without it. {@code price} brings the amount, its currency and
 * the price written for the customer's locale.
 */
record ItemFields(Set<Field> fields) {
    enum Field {
        ID("id"),
        SCORE("score"),
        REASON("reason"),
        TITLE("title"),
        PRICE("price"),
        IMAGE_URL("imageUrl"),
        URL("url");

        final String name;

        Field(String name) {
            this.name = name;
        }
    }

    static final ItemFields ALL = new ItemFields(EnumSet.allOf(Field.class));

    ItemFields {
        fields = Set.copyOf(fields);
    }

    /** Whether the answer carries {@code field}. */
    boolean has(Field field) {
        return fields.contains(field);
    }

    /** Whether the answer needs anything of the catalog beyond the ids and reasons. */
    boolean needsCatalog() {
        return has(Field.TITLE) || has(Field.PRICE) || has(Field.IMAGE_URL) || has(Field.URL);
    }

    static ItemFields parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        EnumSet<Field> fields = EnumSet.of(Field.ID);
        for (String name : text.split(",")) {
            String wanted = name.strip();
            if (wanted.isEmpty()) {
                continue;
            }
            Field field = byName(wanted);
            if (field == null) {
                throw new BadRequestException(
                        "invalid_parameter",
                        "fields takes a comma-separated list of id, score, reason, title, price,"
                                + " imageUrl and url; '"
                                + (wanted.length() > 40 ? wanted.substring(0, 40) + "…" : wanted)
                                + "' is not one of them");
            }
            fields.add(field);
        }
        return new ItemFields(fields);
    }

    private static Field byName(String name) {
        if (name.equals("productId")) {
            return Field.ID;
        }
        for (Field field : Field.values()) {
            if (field.name.equals(name)) {
                return field;
            }
        }
        return null;
    }

    /** The {@code locale} parameter, or null when not given. */
    static Locale locale(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.length() > 35 || !text.matches("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")) {
            throw new BadRequestException(
                    "invalid_parameter", "locale must be a BCP 47 language tag (like ar-SA)");
        }
        return Locale.forLanguageTag(text);
    }
}
