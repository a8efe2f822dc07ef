package io.hilal.core.reco.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.reco.Purchase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserPairsTest {
    @TempDir Path dir;

    @Test
    void withoutTimesEachCustomersItemsAreOneBasketAtOneInstant() throws IOException {
        List<Purchase> purchases = Datasets.userPairs(write("u1\ta\nu1\tb\nu2\tb\nu2\tc\n"));

        assertThat(purchases).extracting(Purchase::orderId).containsExactly("u1", "u1", "u2", "u2");
        assertThat(purchases).extracting(Purchase::at).containsOnly(purchases.get(0).at());
    }

    @Test
    void aThirdColumnIsAWeightCountedAsThatManyPurchasesOrATimestampGroupingTheSameSecond()
            throws IOException {
        List<Purchase> weighted = Datasets.userPairs(write("u1\ta\t3\nu1\tb\t0.4\n"));
        List<Purchase> timed =
                Datasets.userPairs(
                        write("u1\ta\t1300000000\nu1\tb\t1300000000\nu1\tc\t1300000500\n"));

        assertThat(weighted).extracting(Purchase::productId).containsExactly("a", "a", "a", "b");
        assertThat(timed)
                .extracting(Purchase::orderId)
                .containsExactly("u1:1300000000", "u1:1300000000", "u1:1300000500");
    }

    @Test
    void untimedDataIsSplitAtRandomWithAFixedSeedNotByFileOrder() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int customer = 0; customer < 50; customer++) {
            for (int item = 0; item < 10; item++) {
                lines.append('u').append(customer).append("\ti").append(item).append('\n');
            }
        }
        List<Purchase> purchases = Datasets.userPairs(write(lines.toString()));

        ValidationSplit split = ValidationSplit.of(purchases);
        ValidationSplit again = ValidationSplit.of(purchases);

        assertThat(split.held()).hasSize(50).isEqualTo(again.held());
        split.held().values().forEach(held -> assertThat(held).hasSize(2));
        Set<String> heldItems = new HashSet<>();
        split.held().values().forEach(heldItems::addAll);
        // File order would hold out the last two lines of every customer: i8 and i9.
        assertThat(heldItems).hasSizeGreaterThan(2);
        split.held()
                .forEach(
                        (customer, held) ->
                                assertThat(split.owned().get(customer))
                                        .doesNotContainAnyElementsOf(held));
        assertThat(new ArrayList<>(split.fit())).hasSize(400);
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(dir, "pairs", ".tsv");
        Files.writeString(file, content);
        return file;
    }
}
