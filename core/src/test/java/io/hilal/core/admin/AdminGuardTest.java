package io.hilal.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the admin guard reads a Host header: the name alone, without the port. */
class AdminGuardTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            nullValues = "-",
            value = {
                "127.0.0.1:8081, 127.0.0.1",
                "localhost, localhost",
                "LocalHost:8081, localhost",
                "'[::1]:8081', '[::1]'",
                "'[::1]', '[::1]'",
                "'[::1', -",
                "evil.example:8081, evil.example",
                "'', -",
                "-, -",
            })
    void readsTheHostName(String header, String expected) {
        assertThat(AdminGuard.hostName(header)).isEqualTo(expected);
    }
}
