package io.hilal.sdk;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;

/**
 * A retailer's program that tracks 100 events and returns from {@code main} without closing the
 * client; {@link DeliveryGuaranteesTest} runs it in its own JVM.
 */
public final class ExitWithoutClose {
    private ExitWithoutClose() {}

    /**
     * Tracks 100 events against {@code args[0]} and returns.
     *
     * @param args the endpoint, the API key
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws InterruptedException {
        HilalClient hilal =
                HilalClient.builder(args[1])
                        .endpoint(URI.create(args[0]))
                        .flushAt(1000)
                        .flushInterval(Duration.ofMinutes(5))
                        .shutdownHook(Duration.ofSeconds(20))
                        .build();
        for (int i = 0; i < 100; i++) {
            hilal.track(
                    Event.orderCompleted("c-" + i, "o-" + i)
                            .messageId("exit-" + i)
                            .line("p1", 1, new BigDecimal("9.50"), "USD")
                            .build());
        }
    }
}
