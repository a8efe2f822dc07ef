package io.hilal.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcUrlsTest {
    @Test
    void aUrlGetsTheDefaultsItDoesNotSetAndKeepsItsOwn() {
        String url = JdbcUrls.withDefaults("jdbc:mysql://db:3306/hilal?connectTimeout=900");

        assertThat(url)
                .startsWith("jdbc:mysql://db:3306/hilal?connectTimeout=900&")
                .contains("&rewriteBatchedStatements=true")
                .doesNotContain("connectTimeout=5000")
                .doesNotContainIgnoringCase("allowMultiQueries");
    }

    @Test
    void onlyTheSendersUrlAllowsSeveralStatementsPerRoundTrip() {
        String url = JdbcUrls.forSender("jdbc:mysql://db:3306/hilal?connectTimeout=900");

        assertThat(url)
                .startsWith(JdbcUrls.withDefaults("jdbc:mysql://db:3306/hilal?connectTimeout=900"))
                .endsWith("&allowMultiQueries=true");
        assertThat(JdbcUrls.forSender("jdbc:mysql://db/hilal"))
                .startsWith("jdbc:mysql://db/hilal?")
                .containsOnlyOnce("allowMultiQueries=true");
    }

    @Test
    void aUrlThatTurnsOffSeveralStatementsPerRoundTripIsRefused() {
        assertThatThrownBy(
                        () ->
                                JdbcUrls.withDefaults(
                                        "jdbc:mysql://db/hilal?allowMultiQueries=false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowMultiQueries=false");
        assertThatThrownBy(
                        () -> JdbcUrls.forSender("jdbc:mysql://db/hilal?allowMultiQueries=false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowMultiQueries=false");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:mysql://db/hilal?allowMultiQueries=true",
                "jdbc:mysql://db/hilal?sslMode=REQUIRED&ALLOWMULTIQUERIES=TRUE",
            })
    void aUrlThatTurnsThemOnForEveryConnectionIsRefused(String url) {
        assertThatThrownBy(() -> JdbcUrls.withDefaults(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the database URL")
                .hasMessageContaining("campaign sender's own connections only");
    }

    @Test
    void driverPropertiesThatSetThemEitherWayAreRefused() {
        assertThatThrownBy(() -> JdbcUrls.checkProperties(Map.of("allowMultiQueries", "FALSE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database.properties");
        assertThatThrownBy(() -> JdbcUrls.checkProperties(Map.of("allowMultiQueries", "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database.properties");

        JdbcUrls.checkProperties(Map.of("sslMode", "REQUIRED"));
    }
}
