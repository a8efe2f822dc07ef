package io.hilal.service.recommendations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelCacheBudgetTest {
    private static final long MIB = 1 << 20;

    @ParameterizedTest(name = "{1} bytes under a budget of {0}: weight {2} KiB")
    @CsvSource({
        "1048576, 0, 1", // an empty model still takes a place
        "1048576, 1, 1",
        "1048576, 1024, 1",
        "1048576, 1025, 2", // rounded up
        "1048576, 524288, 512",
        "1048576, 1048576, 1024",
        "1048576, 5000000000, 1024", // larger than the budget: weighs the budget, held alone
        "8796093022208, 4398046511104, 2147483647", // 8 TiB budget: a weight fits an int
    })
    void weighsModelsInKibibytesUpToTheWholeBudget(long budget, long bytes, int weight) {
        assertThat(new ModelCacheBudget(budget).weigh(bytes)).isEqualTo(weight);
    }

    @Test
    void aBudgetHoldsModelsByTheirBytesNotTheirCount() {
        ModelCacheBudget budget = ModelCacheBudget.ofMegabytes(100);
        Cache<String, Long> cache =
                Caffeine.newBuilder()
                        .executor(Runnable::run)
                        .maximumWeight(budget.maxWeight())
                        .<String, Long>weigher((tenant, bytes) -> budget.weigh(bytes))
                        .build();

        for (int shop = 0; shop < 150; shop++) {
            cache.put("small-" + shop, 100_000L); // 150 small shops: 15 MB
        }
        cache.cleanUp();
        assertThat(cache.estimatedSize())
                .as("a count of 100 would have dropped some")
                .isEqualTo(150);

        cache.put("large", 90 * MIB);
        cache.cleanUp();
        assertThat(cache.getIfPresent("large")).isNotNull();
        assertThat(cache.policy().eviction().orElseThrow().weightedSize().orElseThrow())
                .isLessThanOrEqualTo(budget.maxWeight());

        cache.put("huge", 3000 * MIB);
        cache.cleanUp();
        assertThat(cache.getIfPresent("huge"))
                .as("larger than the budget: kept, alone, not loaded again on every request")
                .isNotNull();
        assertThat(cache.estimatedSize()).isEqualTo(1);
    }

    @Test
    void refusesABudgetTooSmallToHoldAnything() {
        assertThatThrownBy(() -> new ModelCacheBudget(10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ModelCacheBudget.ofMegabytes(512).maxWeight()).isEqualTo(512 * 1024);
        assertThat(ModelCacheBudget.ofMegabytes(512).share(0.25).maxBytes()).isEqualTo(128 * MIB);
    }
}
