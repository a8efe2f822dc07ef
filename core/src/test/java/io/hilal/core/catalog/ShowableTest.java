package io.hilal.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShowableTest {
    @ParameterizedTest(name = "hidden={0} available={1} stock={2} -> {3}")
    @CsvSource(
            nullValues = "untracked",
            value = {
                "false, true,  untracked, true",
                "false, true,  1,         true",
                "false, true,  250,       true",
                "false, true,  0,         false",
                "true,  true,  untracked, false",
                "true,  true,  5,         false",
                "false, false, untracked, false",
                "false, false, 5,         false",
                "true,  false, 0,         false",
            })
    void showsOnlyVisibleAvailableProductsInStockWhenStockIsTracked(
            boolean hidden, boolean available, Integer stock, boolean showable) {
        assertThat(Showable.test(hidden, available, stock)).isEqualTo(showable);
    }
}
