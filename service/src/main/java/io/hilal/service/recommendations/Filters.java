package io.hilal.service.recommendations;

import io.hilal.core.error.BadRequestException;
import io.hilal.core.reco.RowsFilter;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the recommendation endpoints' {@code category}, {@code excludeCategory}, {@code exclude}.
 */
final class Filters {
    /** More than a page could ever hold is a mistake, not a filter. */
    private static final int MAX_VALUES = 100;

    private Filters() {}

    static RowsFilter of(String category, String excludeCategory, String exclude) {
        return new RowsFilter(
                list("category", category),
                list("excludeCategory", excludeCategory),
                list("exclude", exclude));
    }

    private static Set<String> list(String name, String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        Set<String> values =
                Arrays.stream(text.split(","))
                        .map(String::strip)
                        .filter(value -> !value.isEmpty())
                        .collect(Collectors.toSet());
        if (values.size() > MAX_VALUES) {
            throw new BadRequestException(
                    "invalid_parameter",
                    name + " takes at most " + MAX_VALUES + " comma-separated values");
        }
        return values;
    }
}
