package io.hilal.core.testing;

import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A GreenMail SMTP setup on a port free when the test class loads. The port stays the same when a
 * test stops and restarts the relay (an outage), which GreenMail's own dynamic ports would not
 * give, and two builds on one machine no longer collide on a fixed port.
 */
public final class TestSmtp {
    private TestSmtp() {}

    public static ServerSetup onFreePort() {
        return new ServerSetup(freePort(), "127.0.0.1", "smtp");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
