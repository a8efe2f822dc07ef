package io.hilal.core.reco;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How well a product answers a search: the share of the query's words found among the words of the
 * product's title, categories and attribute values. A word matches the same word, a longer word it
 * begins ("lamp" finds "lamps", "lantern" is not "lamp") or a shorter one that begins it ("dates"
 * finds "date"), each at least {@value #MIN_PREFIX} letters. Case, accents and punctuation do not
 * count, and words of one letter are ignored. A product matches when it holds at least half of the
 * query's words.
 */
public final class SearchMatch {
    /** A prefix shorter than this matches too much ("a" is in every title). */
    static final int MIN_PREFIX = 3;

    /** A product answering fewer of the query's words than this share is not a match. */
    static final double MIN_SHARE = 0.5;

    private SearchMatch() {}

    /** The words of {@code text}: lower case, accents dropped, split on anything not a letter. */
    public static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        if (text == null) {
            return words;
        }
        String plain =
                Normalizer.normalize(text, Normalizer.Form.NFKD)
                        .replaceAll("\\p{M}+", "")
                        .toLowerCase(Locale.ROOT);
        for (String word : plain.split("[^\\p{L}\\p{N}]+")) {
            if (word.length() > 1) {
                words.add(word);
            }
        }
        return words;
    }

    /** The words of a product as searches see them. */
    public static Set<String> productWords(
            String title, List<String> categories, Iterable<String> attributes) {
        Set<String> words = words(title);
        categories.forEach(category -> words.addAll(words(category)));
        attributes.forEach(value -> words.addAll(words(value)));
        return words;
    }

    /**
     * The share of {@code query}'s words that {@code product} holds, or 0 when it is under {@link
     * #MIN_SHARE} (or the query has no words).
     */
    public static double share(Set<String> query, Set<String> product) {
        if (query.isEmpty()) {
            return 0;
        }
        int found = 0;
        for (String word : query) {
            if (holds(product, word)) {
                found++;
            }
        }
        double share = (double) found / query.size();
        return found > 0 && share >= MIN_SHARE ? share : 0;
    }

    private static boolean holds(Set<String> product, String word) {
        if (product.contains(word)) {
            return true;
        }
        for (String candidate : product) {
            String shorter = candidate.length() < word.length() ? candidate : word;
            String longer = shorter == candidate ? word : candidate;
            if (shorter.length() >= MIN_PREFIX && longer.startsWith(shorter)) {
                return true;
            }
        }
        return false;
    }
}
