package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CategoryCapTest {
    /**
     * Candidates are written "product:category" in ranking order ("x:" has no category); the page
     * already holds "category=count" products of a page of 20.
     */
    @ParameterizedTest(name = "row {0}, page {1}, size {2}: {3} with {4} on the page -> {5}")
    @CsvSource(
            delimiter = ';',
            value = {
                // no cap: the models' order
                "1.0; 1.0; 4; a1:A a2:A a3:A a4:A b1:B; ; a1 a2 a3 a4",
                // half a row of 4: two of A, then the best of the others
                "0.5; 1.0; 4; a1:A a2:A a3:A a4:A b1:B c1:C; ; a1 a2 b1 c1",
                // a row keeps its order among what it admits
                "0.5; 1.0; 4; a1:A b1:B a2:A b2:B a3:A c1:C; ; a1 b1 a2 b2",
                // a product without a category is never passed over
                "0.25; 1.0; 4; a1:A a2:A x1: x2: x3:; ; a1 x1 x2 x3",
                // strict: the row stays short when only capped candidates are left
                "0.5; 1.0; 4; a1:A a2:A a3:A b1:B; ; a1 a2 b1",
                // a share below one product still allows one
                "0.1; 1.0; 4; a1:A a2:A b1:B; ; a1 b1",
                // the page: 20 x 0.2 = 4 of A, 3 already shown, so one more
                "1.0; 0.2; 4; a1:A a2:A b1:B b2:B c1:C; A=3; a1 b1 b2 c1",
                // both caps: row allows 2 of B, the page has room for one of A only
                "0.5; 0.2; 4; a1:A a2:A b1:B b2:B b3:B c1:C; A=3; a1 b1 b2 c1",
                // the page already holds its share of A: none at all
                "1.0; 0.2; 3; a1:A a2:A b1:B; A=4; b1",
            })
    void fillsTheRowInOrderUnderBothCaps(
            double rowShare,
            double pageShare,
            int size,
            String candidates,
            String onPage,
            String expected) {
        Map<String, String> category = new HashMap<>();
        List<String> ranked =
                Arrays.stream(candidates.split(" "))
                        .map(
                                candidate -> {
                                    String[] parts = candidate.split(":", -1);
                                    if (!parts[1].isEmpty()) {
                                        category.put(parts[0], parts[1]);
                                    }
                                    return parts[0];
                                })
                        .toList();
        Map<String, Integer> page = new HashMap<>();
        if (onPage != null) {
            for (String entry : onPage.split(" ")) {
                String[] parts = entry.split("=");
                page.put(parts[0], Integer.parseInt(parts[1]));
            }
        }

        List<String> picked =
                new CategoryCap(rowShare, pageShare)
                        .pick(ranked.iterator(), category::get, size, page, 20);

        assertThat(picked).containsExactly(expected.split(" "));
    }

    @ParameterizedTest
    @CsvSource({"0, 0.5", "0.5, 0", "1.5, 0.5", "0.5, NaN"})
    void refusesASharePastZeroToOne(double rowShare, double pageShare) {
        assertThatThrownBy(() -> new CategoryCap(rowShare, pageShare))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 1.0, true", "0.5, 1.0, false", "1.0, 0.3, false"})
    void isOffOnlyWhenNeitherShareCaps(double rowShare, double pageShare, boolean off) {
        assertThat(new CategoryCap(rowShare, pageShare).isOff()).isEqualTo(off);
    }
}
