package io.hilal.core.campaigns.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real SMTP server on 127.0.0.1 that refuses some recipients for good ({@code 550 5.1.1} to their
 * RCPT, as a relay does for a mailbox that does not exist) and accepts everyone else. GreenMail
 * accepts every address, so permanent rejections need this. It records every RCPT it was asked for
 * and every accepted delivery, which is what the tests count.
 */
public final class RejectingSmtpRelay implements AutoCloseable {
    private final ServerSocket server;
    private final Set<String> rejected;
    private final ExecutorService connections = Executors.newCachedThreadPool();
    private final Map<String, Integer> rcptAttempts = new ConcurrentHashMap<>();
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    public RejectingSmtpRelay(Set<String> rejected) throws IOException {
        this.rejected = Set.copyOf(rejected);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.submit(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many times a RCPT for {@code address} was asked for. */
    public int rcptAttempts(String address) {
        return rcptAttempts.getOrDefault(address, 0);
    }

    /** The recipients of the messages accepted, one entry per message. */
    public List<String> delivered() {
        return List.copyOf(delivered);
    }

    private Void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.submit(() -> serve(socket));
            } catch (IOException closed) {
                return null;
            }
        }
        return null;
    }

    private Void serve(Socket socket) {
        try (socket;
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        socket.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = socket.getOutputStream()) {
            reply(out, "220 relay ESMTP");
            String recipient = null;
            String line;
            while ((line = in.readLine()) != null) {
                String verb =
                        line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                switch (verb) {
                    case "EHLO" -> reply(out, "250-relay\r\n250 8BITMIME");
                    case "HELO", "NOOP" -> reply(out, "250 OK");
                    case "MAIL", "RSET" -> {
                        recipient = null;
                        reply(out, "250 OK");
                    }
                    case "RCPT" -> {
                        String address =
                                line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                        rcptAttempts.merge(address, 1, Integer::sum);
                        if (rejected.contains(address)) {
                            reply(out, "550 5.1.1 <" + address + ">: no such mailbox");
                        } else {
                            recipient = address;
                            reply(out, "250 OK");
                        }
                    }
                    case "DATA" -> {
                        if (recipient == null) {
                            reply(out, "554 5.5.1 no valid recipients");
                            continue;
                        }
                        reply(out, "354 go ahead");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the content is not what these tests look at
                        }
                        delivered.add(recipient);
                        recipient = null;
                        reply(out, "250 queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return null;
                    }
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
        return null;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
