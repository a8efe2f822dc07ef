package io.hilal.core.reco;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Scored product lists, packed: list i holds items[start[i]] … items[start[i + 1] - 1]. */
record PackedLists(int[] start, int[] items, float[] scores) {
    static PackedLists pack(List<List<ScoredItem>> lists, Map<String, Integer> productIndex) {
        int total = lists.stream().mapToInt(List::size).sum();
        int[] start = new int[lists.size() + 1];
        int[] items = new int[total];
        float[] scores = new float[total];
        int at = 0;
        for (int i = 0; i < lists.size(); i++) {
            start[i] = at;
            for (ScoredItem item : lists.get(i)) {
                items[at] = productIndex.get(item.productId());
                scores[at] = (float) item.score();
                at++;
            }
        }
        start[lists.size()] = at;
        return new PackedLists(start, items, scores);
    }

    /** Whether any product of list {@code list} passes {@code test}, without building it. */
    boolean any(int list, ProductInfo[] products, Predicate<String> test) {
        if (list < 0 || list >= start.length - 1) {
            return false;
        }
        for (int at = start[list]; at < start[list + 1]; at++) {
            if (test.test(products[items[at]].productId())) {
                return true;
            }
        }
        return false;
    }

    List<ScoredItem> get(int list, ProductInfo[] products) {
        if (list < 0 || list >= start.length - 1) {
            return List.of();
        }
        ScoredItem[] result = new ScoredItem[start[list + 1] - start[list]];
        for (int i = 0; i < result.length; i++) {
            int at = start[list] + i;
            result[i] = new ScoredItem(products[items[at]].productId(), scores[at], null);
        }
        return List.of(result);
    }

    long bytes() {
        return 4L * (start.length + items.length + scores.length);
    }
}
