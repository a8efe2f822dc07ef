package io.hilal.core.campaigns.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkScannersTest {
    private static final String BROWSER =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                    + " Version/17.2 Safari/605.1.15";

    @ParameterizedTest(name = "{0} by \"{1}\" {2}ms after delivery: scanner {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "GET  | BROWSER                                                   | null   | false",
                "GET  | BROWSER                                                   | 60000  | false",
                "GET  | BROWSER                                                   | 2000   | false",
                "GET  | BROWSER                                                   | 1999   | true",
                "GET  | BROWSER                                                   | 300    | true",
                "GET  | BROWSER                                                   | -5000  | false",
                "HEAD | BROWSER                                                   | null   | true",
                "head | BROWSER                                                   | 60000  | true",
                "GET  | null                                                      | null   | true",
                "GET  | '   '                                                     | null   | true",
                "GET  | Mozilla/5.0 (compatible; Microsoft Defender SafeLinks)    | null   | true",
                "GET  | Mozilla/5.0 (Windows NT 10.0) BingPreview/1.0b           | 60000  | true",
                "GET  | Proofpoint URL Defense/2.0                               | null   | true",
                "GET  | Mozilla/5.0 (compatible; Mimecast-Url-Protect)           | null   | true",
                "GET  | Barracuda Sentinel (EE)                                  | null   | true",
                "GET  | python-requests/2.31.0                                   | null   | true",
                "GET  | Java-http-client/17.0.9                                  | null   | false",
                "GET  | Mozilla/5.0 (iPhone; CPU iPhone OS 17_1) Mobile/15E148    | 90000  | false",
            })
    void tellsAScannersVisitFromAPersonsClick(
            String method, String agent, Long millis, boolean scanner) {
        String userAgent = "BROWSER".equals(agent) ? BROWSER : agent;
        Duration sinceDelivery = millis == null ? null : Duration.ofMillis(millis);
        assertThat(LinkScanners.isScanner(method, userAgent, sinceDelivery)).isEqualTo(scanner);
    }
}
