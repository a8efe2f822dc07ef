package io.hilal.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.campaigns.sending.SendPolicy;
import io.hilal.core.json.HilalJson;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuietHoursJsonTest {
    private static final ObjectMapper JSON = HilalJson.newMapper();

    @ParameterizedTest(name = "limits {0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{}|default",
                "{\"quietHours\": null}|off",
                "{\"quietHours\": \"off\"}|off",
                "{\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:30\"}}|22:00-07:30",
            })
    void anOmittedValueKeepsTheDefaultWhileNullOrOffMeansNone(String limits, String expected)
            throws Exception {
        CampaignRequest.QuietHours quiet =
                JSON.readValue(limits, CampaignRequest.Limits.class).quietHours();
        CampaignRequest.QuietHours filled =
                new CampaignRequest(
                                "x",
                                null,
                                null,
                                new CampaignRequest.Offer("s", "h", "t", null, null),
                                new CampaignRequest.Schedule(
                                        "at", null, null, null, null, null, null, null, null),
                                JSON.readValue(limits, CampaignRequest.Limits.class))
                        .withDefaults()
                        .limits()
                        .quietHours();
        switch (expected) {
            case "default" -> {
                assertThat(quiet).isNull();
                assertThat(filled.start()).isEqualTo(LocalTime.of(21, 0));
            }
            case "off" -> {
                assertThat(quiet.off()).isTrue();
                assertThat(filled.off()).isTrue();
                assertThat(JSON.writeValueAsString(filled)).isEqualTo("\"off\"");
            }
            default -> {
                assertThat(quiet.off()).isFalse();
                assertThat(JSON.writeValueAsString(quiet))
                        .isEqualTo("{\"start\":\"22:00\",\"end\":\"07:30\"}");
            }
        }
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(
                        () ->
                                JSON.readValue(
                                        "{\"quietHours\": \"sometimes\"}",
                                        CampaignRequest.Limits.class))
                .hasMessageContaining("off");
    }

    @Test
    void anEmptyObjectIsIncompleteNotOff() throws Exception {
        CampaignRequest.QuietHours quiet =
                JSON.readValue("{\"quietHours\": {}}", CampaignRequest.Limits.class).quietHours();
        assertThat(quiet.off()).isFalse();
        assertThat(
                        new CampaignRequest(
                                        "x",
                                        null,
                                        null,
                                        new CampaignRequest.Offer("s", "h", "t", null, null),
                                        new CampaignRequest.Schedule(
                                                "at",
                                                java.time.LocalDate.of(2030, 1, 1),
                                                LocalTime.NOON,
                                                null,
                                                null,
                                                null,
                                                null,
                                                null,
                                                null),
                                        new CampaignRequest.Limits(null, quiet, null, null))
                                .validate()
                                .ok())
                .isFalse();
    }

    @Test
    void theSenderKeepsNoQuietHoursWhenTheyAreOff() {
        Instant midnight = Instant.parse("2026-04-06T23:30:00Z");
        assertThat(
                        SendPolicy.quietHoursEnd(
                                CampaignRequest.QuietHours.OFF, midnight, ZoneOffset.UTC))
                .isNull();
        assertThat(
                        SendPolicy.quietHoursEnd(
                                new CampaignRequest.QuietHours(
                                        LocalTime.of(21, 0), LocalTime.of(8, 0)),
                                midnight,
                                ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2026-04-07T08:00:00Z"));
    }
}
