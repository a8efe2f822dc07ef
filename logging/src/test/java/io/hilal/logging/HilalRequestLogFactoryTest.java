package io.hilal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.access.jetty.RequestLogImpl;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.StatusPrinter;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.request.logging.RequestLogFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The request log starts without printing logback-access's false version warnings, and still prints
 * a real problem.
 */
class HilalRequestLogFactoryTest {
    @Test
    void theYamlsTypeNamesItAndItBuildsAQuietRequestLog() throws Exception {
        RequestLogFactory<?> factory =
                Jackson.newObjectMapper()
                        .readValue("{\"type\": \"hilal\"}", RequestLogFactory.class);

        assertThat(factory).isInstanceOf(HilalRequestLogFactory.class);
        assertThat(factory.build("test-requests"))
                .isInstanceOfSatisfying(
                        RequestLogImpl.class, log -> assertThat(log.isQuiet()).isTrue());
    }

    @Test
    void startsWithoutTheVersionChecksWarningsAndPrintsAnError() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        // Where logback-access prints its status list unless quiet (it keeps its own stream).
        StatusPrinter.setPrintStream(capture);
        RequestLogImpl log = (RequestLogImpl) new HilalRequestLogFactory().build("test-requests");
        try {
            log.start();
            assertThat(log.getStatusManager().getCopyOfStatusList())
                    .as("the version check ran and warned, as on every start")
                    .anySatisfy(
                            status -> {
                                assertThat(status.getLevel()).isEqualTo(Status.WARN);
                                assertThat(status.getMessage()).startsWith("Versions of");
                            });
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .doesNotContain("Versions of")
                    .doesNotContain("Expected version of")
                    .doesNotContain("INFO in");

            log.getStatusManager().add(new ErrorStatus("appender failed", log));

            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("ERROR")
                    .contains("appender failed");
        } finally {
            log.stop();
            System.setOut(out);
            System.setErr(err);
            StatusPrinter.setPrintStream(out);
        }
    }
}
