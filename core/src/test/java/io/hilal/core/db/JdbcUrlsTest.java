package io.hilal.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JdbcUrlsTest {
    @Test
    void aUrlGetsTheDefaultsItDoesNotSetAndKeepsItsOwn() {
        String url = JdbcUrls.withDefaults("jdbc:mysql://db:3306/hilal?connectTimeout=900");

        assertThat(url)
                .startsWith("jdbc:mysql://db:3306/hilal?connectTimeout=900&")
                .contains("&allowMultiQueries=true")
                .contains("&rewriteBatchedStatements=true")
                .doesNotContain("connectTimeout=5000");
    }

    @Test
    void aUrlThatTurnsOffSeveralStatementsPerRoundTripIsRefused() {
        assertThatThrownBy(
                        () ->
                                JdbcUrls.withDefaults(
                                        "jdbc:mysql://db/hilal?allowMultiQueries=false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowMultiQueries=false");
    }

    @Test
    void driverPropertiesThatTurnThemOffAreRefused() {
        assertThatThrownBy(() -> JdbcUrls.checkProperties(Map.of("allowMultiQueries", "FALSE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database.properties");

        JdbcUrls.checkProperties(Map.of("allowMultiQueries", "true", "sslMode", "REQUIRED"));
    }
}
