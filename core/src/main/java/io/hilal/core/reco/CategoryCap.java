package io.hilal.core.reco;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Diversity by re-ranking: fills a row from its candidates in their order, passing over a candidate
 * whose category already holds {@code rowShare} of the row or {@code pageShare} of the page, so the
 * next best of another category takes its place. Products without a category are never passed over.
 * A share of 1 caps nothing. The cap is strict: when the candidates run out, a row stays shorter
 * rather than breaking it.
 */
public record CategoryCap(double rowShare, double pageShare) {
    /** No cap: the models' order as it is. */
    public static final CategoryCap OFF = new CategoryCap(1, 1);

    public CategoryCap {
        if (!(rowShare > 0 && rowShare <= 1) || !(pageShare > 0 && pageShare <= 1)) {
            throw new IllegalArgumentException("category shares must be in (0, 1]");
        }
    }

    public boolean isOff() {
        return rowShare >= 1 && pageShare >= 1;
    }

    /** The most products of one category a row of {@code size} may hold (at least one). */
    public int rowLimit(int size) {
        return Math.max(1, (int) Math.floor(rowShare * size + 1e-9));
    }

    /** The most products of one category a page of {@code capacity} products may hold. */
    public int pageLimit(int capacity) {
        return Math.max(1, (int) Math.floor(pageShare * capacity + 1e-9));
    }

    /**
     * Up to {@code size} candidates, in their order, under both caps; {@code onPage} counts each
     * category's products already on the page (of {@code pageCapacity} at most) and is not changed.
     * Reads the candidates only as far as it needs.
     */
    public <T> List<T> pick(
            Iterator<T> candidates,
            Function<T, String> category,
            int size,
            Map<String, Integer> onPage,
            int pageCapacity) {
        int rowLimit = rowLimit(size);
        int pageLimit = pageLimit(pageCapacity);
        Map<String, Integer> inRow = new HashMap<>();
        List<T> picked = new ArrayList<>(size);
        while (picked.size() < size && candidates.hasNext()) {
            T candidate = candidates.next();
            String of = category.apply(candidate);
            if (of != null) {
                int row = inRow.getOrDefault(of, 0);
                if (row >= rowLimit || onPage.getOrDefault(of, 0) + row >= pageLimit) {
                    continue;
                }
                inRow.put(of, row + 1);
            }
            picked.add(candidate);
        }
        return picked;
    }

    /** As above for one list alone: a row on a page of its own. */
    public <T> List<T> pick(List<T> candidates, Function<T, String> category, int size) {
        return pick(candidates.iterator(), category, size, Map.of(), Integer.MAX_VALUE);
    }
}
