package io.hilal.core.reco.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GridSampleTest {
    @ParameterizedTest(name = "{0} lines, {1} customers, {2} sweeps/line, budget {3}, floor {4}")
    @CsvSource({
        // lines,  customers, sweeps, budget,     floor, share
        "0,        0,         180,    150000000,  20000, 1.0",
        "400000,   4000,      180,    150000000,  20000, 1.0", // Online Retail-sized: whole
        "833333,   27000,     180,    150000000,  20000, 1.0", // exactly the budget: whole
        "1000000,  40000,     180,    150000000,  20000, 0.8333333333333334", // just over: 5/6
        "12500000, 416666,    180,    150000000,  20000, 0.06666666666666667", // 10M pairs
        "12500000, 100000,    180,    150000000,  20000, 0.2", // floor: 20,000 of 100,000
        "12500000, 15000,     180,    150000000,  20000, 1.0", // below the floor: whole
        "100000000,416666,    180,    150000000,  20000, 0.04800007680012288", // floor binds
        "1000,     100,       10,     1000,       10,    0.1", // small numbers: 10% of 100
        "1000,     100,       10,     1000,       50,    0.5", // the floor of 50 binds
    })
    void sharesTheCustomersSoTheGridFitsTheBudget(
            long lines, long customers, long sweeps, long budget, int floor, double share) {
        GridSample sample = GridSample.plan(lines, customers, sweeps, budget, floor);

        assertThat(sample.share()).isCloseTo(share, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(sample.whole()).isEqualTo(share == 1.0);
        assertThat(sample.reason()).contains(Long.toString(customers));
        if (!sample.whole()) {
            assertThat(sample.reason()).contains("sample").contains("trained on all");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "-1, 10, 1, 1, 1",
        "10, -1, 1, 1, 1",
        "10, 10, 0, 1, 1",
        "10, 10, 1, 0, 1",
        "10, 10, 1, 1, 0",
    })
    void refusesNonsense(long lines, long customers, long sweeps, long budget, int floor) {
        assertThatThrownBy(() -> GridSample.plan(lines, customers, sweeps, budget, floor))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"0.05", "0.2", "0.5"})
    void includesAboutTheShareOfCustomersAndTheSameOnesEveryTime(double share) {
        GridSample sample = new GridSample(share, "test");
        Set<String> first = new HashSet<>();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            if (sample.includes("c" + i)) {
                first.add("c" + i);
            }
        }
        assertThat((double) first.size() / n)
                .isCloseTo(share, org.assertj.core.data.Offset.offset(0.01));
        for (int i = 0; i < n; i++) {
            assertThat(new GridSample(share, "again").includes("c" + i))
                    .isEqualTo(first.contains("c" + i));
        }
        // A larger share keeps every customer a smaller one had (a stable, nested sample).
        GridSample larger = new GridSample(Math.min(1, share * 2), "larger");
        assertThat(first).allMatch(larger::includes);
    }

    @Test
    void theWholeDataIncludesEveryoneAndAShareOutsideZeroToOneIsRefused() {
        assertThat(GridSample.whole("all").includes("anyone")).isTrue();
        assertThatThrownBy(() -> new GridSample(0, "none"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GridSample(1.5, "more"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
