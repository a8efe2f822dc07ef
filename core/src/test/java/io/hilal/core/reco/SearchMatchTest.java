package io.hilal.core.reco;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SearchMatchTest {
    @ParameterizedTest(name = "\"{0}\" in \"{1}\" ({2}): {3}")
    @CsvSource(
            delimiter = ';',
            value = {
                "cups; Finjan cups; Home; 1.0",
                "CUP; Finjan cups; Home; 1.0", // case, and a word it begins
                "dates; Ajwa date box; Food; 1.0", // a shorter word that begins it
                "café; Cafe latte glass; Kitchen; 1.0", // accents do not count
                "arabic coffee; Arabic coffee; Food; 1.0",
                "arabic coffee cups; Arabic coffee; Food; 0.6666666666666666",
                "finjan lamp; Finjan cups; Home; 0.5", // half the words is enough
                "brass finjan lamp; Finjan cups; Home; 0", // a third is not
                "lantern; Ramadan lamp; Home; 0", // not a prefix
                "la; Ramadan lamp; Home; 0", // two letters match only the same word
                "home; Finjan cups; Home; 1.0", // the category counts
                "!!; Finjan cups; Home; 0", // no words, no match
            })
    void sharesTheQuerysWordsTheProductHolds(
            String query, String title, String category, double share) {
        assertThat(
                        SearchMatch.share(
                                SearchMatch.words(query),
                                SearchMatch.productWords(title, List.of(category), List.of())))
                .isEqualTo(share);
    }

    @ParameterizedTest
    @CsvSource({"gold, 1.0", "silver, 0"})
    void attributeValuesCountAsTheProductsWords(String query, double share) {
        assertThat(
                        SearchMatch.share(
                                SearchMatch.words(query),
                                SearchMatch.productWords(
                                        "Finjan cups", List.of("Home"), List.of("Gold", "6"))))
                .isEqualTo(share);
    }
}
