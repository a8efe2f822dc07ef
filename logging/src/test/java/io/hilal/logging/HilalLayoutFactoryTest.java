package io.hilal.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The log layouts HILAL_LOG_FORMAT chooses between: a dated text line, or one JSON object. */
class HilalLayoutFactoryTest {
    private final LoggerContext context = new LoggerContext();

    @Test
    void jsonHasADatedTimestampAndTheLogContextAsFields() throws Exception {
        HilalLayoutFactory factory = new HilalLayoutFactory();
        factory.setFormat(LogFormat.parse("json"));
        LayoutBase<ch.qos.logback.classic.spi.ILoggingEvent> layout =
                factory.build(context, TimeZone.getDefault());
        layout.start();

        String line = layout.doLayout(event());

        assertThat(line).endsWith(System.lineSeparator()).doesNotContain("\n{");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("timestamp").asText()).isEqualTo("2026-03-20T09:30:00.123Z");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("message").asText()).isEqualTo("campaign.launched tenant=ten_a");
        assertThat(json.get("tenantId").asText()).isEqualTo("ten_a");
        assertThat(json.get("requestId").asText()).isEqualTo("req_1");
        assertThat(json.get("campaignId").asText()).isEqualTo("cmp_1");
        assertThat(json.get("logger").asText()).isEqualTo("hilal.operator");
    }

    @Test
    void textIsOneLineWithTheDateRequestAndTenant() {
        HilalLayoutFactory factory = new HilalLayoutFactory();
        LayoutBase<ch.qos.logback.classic.spi.ILoggingEvent> layout =
                factory.build(context, TimeZone.getDefault());
        layout.start();

        assertThat(layout.doLayout(event()))
                .startsWith("2026-03-20T09:30:00.123Z INFO ")
                .contains("[req_1] [ten_a] hilal.operator - campaign.launched tenant=ten_a")
                .endsWith(System.lineSeparator());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            nullValues = "-",
            value = {"text, TEXT", "JSON, JSON", "' json ', JSON", "'', TEXT", "-, TEXT"})
    void readsTheFormat(String value, LogFormat expected) {
        assertThat(LogFormat.parse(value)).isEqualTo(expected);
    }

    @Test
    void refusesAnUnknownFormat() {
        assertThatThrownBy(() -> LogFormat.parse("xml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text or json");
    }

    private LoggingEvent event() {
        Logger logger = context.getLogger("hilal.operator");
        LoggingEvent event =
                new LoggingEvent(
                        Logger.class.getName(),
                        logger,
                        Level.INFO,
                        "campaign.launched tenant=ten_a",
                        null,
                        null);
        event.setTimeStamp(Instant.parse("2026-03-20T09:30:00.123Z").toEpochMilli());
        event.setMDCPropertyMap(
                Map.of("tenantId", "ten_a", "requestId", "req_1", "campaignId", "cmp_1"));
        return event;
    }
}
