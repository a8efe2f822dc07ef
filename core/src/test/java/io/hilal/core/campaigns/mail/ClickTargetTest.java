package io.hilal.core.campaigns.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClickTargetTest {
    @ParameterizedTest(name = "{0} may be redirected to: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://souq.example/p/dates?utm_source=hilal | true",
                "http://souq.example | true",
                "HTTPS://SOUQ.EXAMPLE/ | true",
                "javascript:alert(1) | false",
                "JavaScript://souq.example/%0Aalert(1) | false",
                "data:text/html,<script>alert(1)</script> | false",
                "ftp://souq.example/file | false",
                "//evil.example/path | false",
                "/relative/path | false",
                "souq.example | false",
                "https:///no-host | false",
                "https://exa mple.com/ | false",
                "http://[::1 | false",
                "'' | false",
            })
    void acceptsOnlyAbsoluteHttpAndHttpsUrlsWithAHost(String url, boolean allowed) {
        assertThat(ClickTarget.of(url)).as(url).matches(target -> target.isPresent() == allowed);
    }

    @ParameterizedTest
    @CsvSource({"https://souq.example/a b", "https://souq.example/%zz"})
    void aMalformedUrlIsRefusedNotThrown(String url) {
        assertThat(ClickTarget.of(url)).isEmpty();
    }
}
