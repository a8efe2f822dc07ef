package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonalModelChoiceTest {

    @ParameterizedTest(name = "als {0}, ease {1}, {2} products (limit {3}) -> {4}")
    @CsvSource({
        // als, ease (-1: not tried), products, limit, chosen, reason starts with
        "0.20, 0.25, 300, 5000, ease, 'ease: validation Recall@20 EASE 0.2500, ALS 0.2000'",
        "0.25, 0.20, 300, 5000, als, 'als: validation Recall@20 EASE 0.2000, ALS 0.2500'",
        "0.20, 0.20, 300, 5000, als, 'als: validation Recall@20 EASE 0.2000, ALS 0.2000'",
        "0.20, 0.30, 6000, 5000, als, 'als: 6000 products is more than EASE''s limit of 5000'",
        "0.20, -1, 300, 5000, als, 'als: 300 products is more than'",
    })
    void choosesTheModelWithTheBetterValidationRecallWithinEasesLimit(
            double als, double ease, int products, int limit, String chosen, String reason) {
        PersonalModelChoice choice =
                PersonalModelChoice.choose(
                        als,
                        ease < 0 ? OptionalDouble.empty() : OptionalDouble.of(ease),
                        0.1,
                        products,
                        limit,
                        "each customer's newest 20% of purchases");

        assertThat(choice.kind()).isEqualTo(chosen);
        assertThat(choice.reason())
                .startsWith(reason)
                .contains("popularity 0.1000")
                .endsWith("on each customer's newest 20% of purchases");
        assertThat(choice.recall()).isEqualTo(chosen.equals("ease") ? ease : als);
    }

    @ParameterizedTest
    @CsvSource({"0.20, 0.10, true", "0.10, 0.10, false", "0.05, 0.10, false"})
    void servesOnlyAChoiceThatBeatsPopularity(double recall, double popularity, boolean beats) {
        PersonalModelChoice choice =
                PersonalModelChoice.choose(
                        recall, OptionalDouble.empty(), popularity, 10, 5, "validation");

        assertThat(choice.beats(popularity)).isEqualTo(beats);
    }

    @ParameterizedTest(name = "{0} at {1}, RP3beta {2}, {3} products (limit {4}) -> {5}")
    @CsvSource({
        // earlier choice, its recall, rp3beta (-1: not tried), products, limit, chosen, reason
        "ease, 0.25, 0.30, 300, 10000, rp3beta,"
                + " 'rp3beta: validation Recall@20 RP3beta 0.3000 is above ease''s 0.2500 (ease:'",
        "als, 0.25, 0.30, 300, 10000, rp3beta,"
                + " 'rp3beta: validation Recall@20 RP3beta 0.3000 is above als''s 0.2500 (als:'",
        "ease, 0.25, 0.20, 300, 10000, ease, '; RP3beta 0.2000, not above ease'",
        "als, 0.25, 0.25, 300, 10000, als, '; RP3beta 0.2500, not above als'",
        "als, 0.25, 0.40, 20000, 10000, als,"
                + " '; RP3beta not tried: 20000 products is more than its limit of 10000'",
        "als, 0.25, -1, 300, 10000, als, '; RP3beta not tried'",
    })
    void rp3betaServesOnlyWhenItsValidationRecallIsHigherAndTheReasonSaysWhy(
            String earlier,
            double earlierRecall,
            double rp3beta,
            int products,
            int limit,
            String chosen,
            String reason) {
        PersonalModelChoice before =
                earlier.equals("ease")
                        ? PersonalModelChoice.choose(
                                0.1,
                                OptionalDouble.of(earlierRecall),
                                0.05,
                                products,
                                100_000,
                                "validation")
                        : PersonalModelChoice.choose(
                                earlierRecall,
                                OptionalDouble.of(0.1),
                                0.05,
                                products,
                                100_000,
                                "validation");

        PersonalModelChoice choice =
                before.orRp3beta(
                        rp3beta < 0 ? OptionalDouble.empty() : OptionalDouble.of(rp3beta),
                        products,
                        limit);

        assertThat(choice.kind()).isEqualTo(chosen);
        assertThat(choice.recall()).isEqualTo(chosen.equals("rp3beta") ? rp3beta : earlierRecall);
        assertThat(choice.reason()).contains(reason);
        // The earlier comparison stays in the reason: the merchant sees every figure.
        assertThat(choice.reason()).contains(before.reason());
    }

    @org.junit.jupiter.api.Test
    void withNoCustomerToValidateOnTheReasonSaysSoInsteadOfComparingZeros() {
        PersonalModelChoice choice =
                PersonalModelChoice.choose(
                                0, OptionalDouble.of(0), 0, 300, 5000, "each customer's newest 20%")
                        .unvalidated(true);

        assertThat(choice.kind()).isEqualTo("als");
        assertThat(choice.reason())
                .isEqualTo(
                        "als by default, not compared: no customer could be validated on (each"
                                + " customer's newest 20% of purchases, at least the newest order of"
                                + " anyone with two or more, holds nothing new out for a customer"
                                + " whose purchases are all at one moment or whose newest"
                                + " are re-buys), so no model has shown that it beats popularity"
                                + " and \"Picked for you\" is not served until one does");
        assertThat(choice.beats(0)).isFalse();
    }
}
