package io.hilal.worker.platform;

import com.codahale.metrics.health.HealthCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Healthy while the SMTP relay accepts a TCP connection (one second at most): enough to tell "the
 * relay is down" from "a message was refused", without sending or logging in.
 */
public final class SmtpHealthCheck extends HealthCheck {
    static final int TIMEOUT_MILLIS = 1000;

    private final String host;
    private final int port;

    public SmtpHealthCheck(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    protected Result check() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            return Result.healthy("relay %s:%d reachable", host, port);
        } catch (IOException | IllegalArgumentException e) {
            return Result.unhealthy(
                    "relay %s:%d unreachable (%s)", host, port, e.getClass().getSimpleName());
        }
    }
}
