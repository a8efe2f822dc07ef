package io.hilal.core.reco.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recall@K (hits over the customer's relevant items) and NDCG@K with binary relevance, averaged
 * over customers, plus catalog coverage (distinct recommended items over catalog size).
 */
public final class RankingMetrics {
    private final int k;
    private double recall;
    private double ndcg;
    private int users;
    private final Set<String> recommended = new HashSet<>();

    public RankingMetrics(int k) {
        this.k = k;
    }

    public void add(List<String> ranked, Set<String> relevant) {
        if (relevant.isEmpty()) {
            return;
        }
        int hits = 0;
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            recommended.add(ranked.get(i));
            if (relevant.contains(ranked.get(i))) {
                hits++;
                dcg += 1 / log2(i + 2);
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, relevant.size()); i++) {
            ideal += 1 / log2(i + 2);
        }
        recall += (double) hits / relevant.size();
        ndcg += dcg / ideal;
        users++;
    }

    public double recall() {
        return users == 0 ? 0 : recall / users;
    }

    public double ndcg() {
        return users == 0 ? 0 : ndcg / users;
    }

    public int users() {
        return users;
    }

    public double coverage(int catalogSize) {
        return catalogSize == 0 ? 0 : (double) recommended.size() / catalogSize;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
