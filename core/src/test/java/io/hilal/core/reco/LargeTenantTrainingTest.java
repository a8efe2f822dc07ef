package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.reco.als.AlsModel;
import io.hilal.core.reco.als.AlsParams;
import io.hilal.core.reco.als.ExternalAls;
import io.hilal.core.reco.als.Interactions;
import io.hilal.core.reco.als.PairFile;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LargeTenantTrainingTest {
    private static final ExternalAls ENGINE =
            new ExternalAls() {
                @Override
                public String engine() {
                    return "spark";
                }

                @Override
                public Path workDir() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void fitFiles(
                        List<PairFile> inputs, AlsParams params, Consumer<AlsModel> each) {
                    throw new UnsupportedOperationException();
                }
            };

    @ParameterizedTest
    @CsvSource({
        "1000, 0, false",
        "1000, 999, false",
        "1000, 1000, true",
        "1000, 5000000, true",
        "1, 1, true"
    })
    void appliesFromTheThresholdOn(long threshold, long pairs, boolean applies) {
        assertThat(
                        new LargeTenantTraining(threshold, ENGINE, AlsParams.defaults())
                                .appliesTo(pairs))
                .isEqualTo(applies);
    }

    @Test
    void convertsAFlatLambdaToTheCountScaledOneAtTheTenantsMeanCount() {
        // 2 customers x 2 products, 3 pairs: mean count 2 * 3 / (2 + 2) = 1.5.
        Interactions data =
                Interactions.builder().add("a", "x", 1).add("a", "y", 1).add("b", "x", 1).build();
        AlsParams flat = AlsParams.defaults().withRegularization(30);
        AlsParams scaled = new LargeTenantTraining(1, ENGINE, flat).paramsFor(data);
        assertThat(scaled.scaledRegularization()).isTrue();
        assertThat(scaled.regularization()).isEqualTo(20.0);
        assertThat(scaled.factors()).isEqualTo(flat.factors());

        AlsParams already = flat.withScaledRegularization(true);
        assertThat(new LargeTenantTraining(1, ENGINE, already).paramsFor(data)).isEqualTo(already);
    }

    @Test
    void saysWhichEngineAndWhy() {
        assertThat(
                        new LargeTenantTraining(2_000_000, ENGINE, AlsParams.defaults())
                                .reason(3_500_000))
                .isEqualTo(
                        "spark: 3,500,000 interactions (distinct customer-product pairs) reach the"
                                + " threshold of 2,000,000 for training outside the worker's JVM");
    }

    @Test
    void refusesANonPositiveThreshold() {
        assertThatThrownBy(() -> new LargeTenantTraining(0, ENGINE, AlsParams.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
