package io.hilal.core.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TeamDraftTest {
    @ParameterizedTest(name = "{0} + {1} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // Identical rankings: every product once, in the shared order.
                "p q r s | p q r s | 4 | p q r s",
                // Disjoint rankings: each team's best first, alternating in pairs.
                "a b c   | x y z   | 6 | a b c x y z",
                // One ranking runs out: the other fills the list.
                "a       | x y z   | 4 | a x y z",
                "        | x y     | 5 | x y",
            })
    void servesEachProductOnceUpToTheLength(String a, String b, int length, String products) {
        List<TeamDraft.Pick> picks = TeamDraft.interleave(split(a), split(b), length, 7);

        assertThat(picks.stream().map(TeamDraft.Pick::productId).sorted().toList())
                .isEqualTo(split(products).stream().sorted().toList());
    }

    @Test
    void teamsTakeTurnsSoNeitherLeadsByMoreThanOne() {
        for (long seed = 0; seed < 50; seed++) {
            List<TeamDraft.Pick> picks =
                    TeamDraft.interleave(
                            List.of("a1", "a2", "a3", "a4", "a5"),
                            List.of("b1", "b2", "b3", "b4", "b5"),
                            10,
                            seed);
            int lead = 0;
            for (int i = 0; i < picks.size(); i++) {
                lead += picks.get(i).team() == 'A' ? 1 : -1;
                if (i % 2 == 1) {
                    assertThat(lead).isZero();
                }
            }
            // Each team's products keep that team's order.
            assertThat(
                            picks.stream()
                                    .filter(pick -> pick.team() == 'A')
                                    .map(TeamDraft.Pick::productId)
                                    .collect(Collectors.joining(" ")))
                    .isEqualTo("a1 a2 a3 a4 a5");
        }
    }

    @Test
    void theSameSeedInterleavesTheSameAndTheCoinIsFair() {
        List<String> a = List.of("a1", "a2");
        List<String> b = List.of("b1", "b2");
        assertThat(TeamDraft.interleave(a, b, 2, 42)).isEqualTo(TeamDraft.interleave(a, b, 2, 42));
        long aFirst = 0;
        for (long seed = 0; seed < 2000; seed++) {
            aFirst += TeamDraft.interleave(a, b, 2, seed).get(0).team() == 'A' ? 1 : 0;
        }
        assertThat(aFirst).isBetween(900L, 1100L);
    }

    private static List<String> split(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }
}
