package io.hilal.core.experiments;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Team-draft interleaving (Radlinski, Kurup and Joachims, "How does clickthrough data reflect
 * retrieval quality?", 2008): the two rankings take turns, like captains picking teams, the team
 * with fewer picks choosing next and a coin deciding ties; each picks its best product not yet
 * taken. Each served product remembers its team, so a click on it is a vote for that ranking. The
 * coin comes from a seed (the impression's), so the same impression always interleaves the same.
 */
public final class TeamDraft {
    private TeamDraft() {}

    /** A served product and the team ({@code 'A'} or {@code 'B'}) that contributed it. */
    public record Pick(String productId, char team) {}

    public static List<Pick> interleave(List<String> a, List<String> b, int length, long seed) {
        // SplittableRandom mixes its seed: java.util.Random's first coin barely varies across
        // neighbouring seeds.
        SplittableRandom coin = new SplittableRandom(seed);
        List<Pick> picks = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        int fromA = 0;
        int fromB = 0;
        int nextA = 0;
        int nextB = 0;
        while (picks.size() < length) {
            nextA = skipTaken(a, nextA, taken);
            nextB = skipTaken(b, nextB, taken);
            boolean aLeft = nextA < a.size();
            boolean bLeft = nextB < b.size();
            if (!aLeft && !bLeft) {
                break;
            }
            boolean aPicks =
                    !bLeft || (aLeft && (fromA < fromB || (fromA == fromB && coin.nextBoolean())));
            if (aPicks) {
                String product = a.get(nextA++);
                taken.add(product);
                picks.add(new Pick(product, 'A'));
                fromA++;
            } else {
                String product = b.get(nextB++);
                taken.add(product);
                picks.add(new Pick(product, 'B'));
                fromB++;
            }
        }
        return picks;
    }

    private static int skipTaken(List<String> ranking, int from, Set<String> taken) {
        int index = from;
        while (index < ranking.size() && taken.contains(ranking.get(index))) {
            index++;
        }
        return index;
    }
}
