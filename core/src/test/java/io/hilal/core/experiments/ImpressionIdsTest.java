package io.hilal.core.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImpressionIdsTest {
    static final Instant SERVED = Instant.parse("2026-12-06T10:00:00Z");
    static final String ID =
            ImpressionIds.issue("shop-1", true, SERVED, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    @ParameterizedTest(name = "{0} sent by {1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "ISSUED       | shop-1 | ",
                "ISSUED       | shop-2 | was not issued to this shop (check the API key)",
                "LAST_CHANGED | shop-1 | is not an impression id Hilal issued (checksum mismatch)",
                "TRUNCATED    | shop-1 | is not an impression id Hilal issued (imp_ and 30 characters)",
                "NO_PREFIX    | shop-1 | is not an impression id Hilal issued (imp_ and 30 characters)",
            })
    void checksWhatAClickSendsBack(String variant, String tenant, String problem) {
        String sent =
                switch (variant) {
                    case "ISSUED" -> ID;
                    case "LAST_CHANGED" ->
                            ID.substring(0, ID.length() - 1) + (ID.endsWith("A") ? "B" : "A");
                    case "TRUNCATED" -> ID.substring(0, ID.length() - 2);
                    default -> "imx_" + ID.substring(4);
                };

        ImpressionIds.Decoded decoded = ImpressionIds.decode(tenant, sent);

        assertThat(decoded.problem()).isEqualTo(problem);
        if (problem == null) {
            assertThat(decoded.stored()).isTrue();
            assertThat(decoded.servedAt()).isEqualTo(SERVED);
            assertThat(decoded.seed()).isEqualTo(0x0102030405060708L);
        }
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void saysWhetherTheImpressionWasStored(boolean stored) {
        String id = ImpressionIds.issue("shop-1", stored, SERVED);

        assertThat(id).startsWith("imp_").hasSize(34);
        assertThat(ImpressionIds.decode("shop-1", id).stored()).isEqualTo(stored);
    }
}
