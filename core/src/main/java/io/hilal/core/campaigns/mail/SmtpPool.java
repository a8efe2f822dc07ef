package io.hilal.core.campaigns.mail;

import io.hilal.core.campaigns.OfferRenderer;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailStreamProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few SMTP connections, opened once and reused for every message: relays throttle senders who
 * open a connection per message, and the handshake (plus TLS) costs more than the message. A broken
 * connection is reopened on its next use; temporary failures (4xx, I/O) are retried with
 * exponential backoff, permanent ones (5xx) are not.
 */
public final class SmtpPool implements Mailer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpPool.class);

    /**
     * The system property Jakarta Mail's {@code FactoryFinder} reads before it falls back to {@code
     * ServiceLoader}.
     */
    static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        // Jakarta Mail 2.1 looks its StreamProvider up again for every message, body part and
        // encoded header, through ServiceLoader, which scans every jar on the class path
        // (jakartaee/mail-api#699, #861): in JFR that scan was about two thirds of a send's CPU.
        // Named here, it is one class lookup instead. Process-wide, unless already set.
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, MailStreamProvider.class.getName());
        }
    }

    private final SmtpFactory config;
    private final Session session;
    private final BlockingQueue<Connection> idle;
    private final AtomicLong connectionsOpened = new AtomicLong();

    SmtpPool(SmtpFactory config) {
        this.config = config;
        this.session = Session.getInstance(config.sessionProperties());
        this.idle = new ArrayBlockingQueue<>(config.getConnections());
        for (int i = 0; i < config.getConnections(); i++) {
            try {
                idle.add(new Connection(session.getTransport("smtp")));
            } catch (MessagingException e) {
                throw new IllegalStateException("Jakarta Mail has no SMTP provider", e);
            }
        }
    }

    public Session session() {
        return session;
    }

    /** How many times a connection was opened: stays at the pool size while the relay is up. */
    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    /**
     * Sends a rendered campaign email as multipart/alternative (text, then HTML) with its headers,
     * keeping its deterministic Message-ID (Jakarta Mail would otherwise invent one).
     */
    @Override
    public SendResult send(OfferRenderer.RenderedEmail email) throws InterruptedException {
        MimeMessage message;
        try {
            message = message(session, email);
        } catch (AddressException e) {
            return new SendResult(
                    SendResult.Status.PERMANENT_FAILURE, "invalid address: " + e.getMessage());
        } catch (MessagingException e) {
            return new SendResult(SendResult.Status.PERMANENT_FAILURE, describe(e));
        }
        return send(message);
    }

    /** The MIME message of a rendered email. */
    public static MimeMessage message(Session session, OfferRenderer.RenderedEmail email)
            throws MessagingException {
        String messageId = email.headers().get("Message-ID");
        MimeMessage message =
                new MimeMessage(session) {
                    @Override
                    protected void updateMessageID() throws MessagingException {
                        if (messageId == null) {
                            super.updateMessageID();
                        } else {
                            setHeader("Message-ID", messageId);
                        }
                    }
                };
        message.setFrom(new InternetAddress(email.from(), true));
        message.setRecipient(
                jakarta.mail.Message.RecipientType.TO, new InternetAddress(email.to(), true));
        if (email.replyTo() != null) {
            message.setReplyTo(new InternetAddress[] {new InternetAddress(email.replyTo(), true)});
        }
        message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
        for (Map.Entry<String, String> header : email.headers().entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        MimeBodyPart text = new MimeBodyPart();
        text.setText(email.text(), StandardCharsets.UTF_8.name());
        MimeBodyPart html = new MimeBodyPart();
        html.setText(email.html(), StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        message.setContent(alternative);
        return message;
    }

    /**
     * Sends one message, waiting for a free connection; never throws for SMTP trouble.
     *
     * <p>A pooled connection is trusted to be open until a send on it fails: {@link
     * Transport#isConnected()} would cost a NOOP round trip to the relay before every message. A
     * send that fails on a connection reused from before (the relay may have closed it while it was
     * idle) is tried once more at once on a new connection; after that, temporary failures back
     * off.
     */
    public SendResult send(MimeMessage message) throws InterruptedException {
        String lastError = null;
        long backoff = config.getFirstBackoffMillis();
        boolean reopened = false;
        // Working out the MIME headers (each part's encoding is chosen by scanning it) is CPU
        // work that needs no connection: done before taking one, it does not keep another
        // sending thread from the relay. A failure here is left to the send below, as before.
        boolean saved = saveQuietly(message);
        for (int attempt = 1; attempt <= config.getMaxAttempts(); ) {
            Connection connection = idle.take();
            boolean reused = connection.open;
            try {
                if (!connection.open) {
                    connection.transport.connect(
                            config.getHost(),
                            config.getPort(),
                            config.getUsername().isEmpty() ? null : config.getUsername(),
                            config.getPassword().isEmpty() ? null : config.getPassword());
                    connection.open = true;
                    connectionsOpened.incrementAndGet();
                }
                if (!saved) {
                    message.saveChanges();
                }
                connection.transport.sendMessage(message, message.getAllRecipients());
                return SendResult.sent();
            } catch (MessagingException | IllegalStateException e) {
                if (e instanceof MessagingException messaging && isPermanent(messaging)) {
                    // The relay refused this message, not the connection; it stays open if the
                    // relay kept it so (asked only now, after a refusal).
                    connection.open = connection.transport.isConnected();
                    return new SendResult(
                            SendResult.Status.PERMANENT_FAILURE,
                            describe(messaging),
                            recipientRefused(messaging));
                }
                lastError =
                        e instanceof MessagingException messaging
                                ? describe(messaging)
                                : String.valueOf(e.getMessage());
                closeQuietly(connection.transport);
                connection.open = false;
                if (reused && !reopened) {
                    reopened = true;
                    continue;
                }
                LOG.warn("SMTP attempt {} failed, will retry: {}", attempt, lastError);
            } finally {
                idle.add(connection);
            }
            if (attempt < config.getMaxAttempts()) {
                // Backoff in the sending thread is the point: the relay asked us to slow down.
                Thread.sleep(backoff);
                backoff *= 2;
            }
            attempt++;
        }
        return new SendResult(SendResult.Status.TEMPORARY_FAILURE, lastError);
    }

    private static boolean saveQuietly(MimeMessage message) {
        try {
            message.saveChanges();
            return true;
        } catch (MessagingException | RuntimeException e) {
            return false;
        }
    }

    /** A pooled transport and whether it is open, as far as its last use showed. */
    private static final class Connection {
        final Transport transport;
        boolean open;

        Connection(Transport transport) {
            this.transport = transport;
        }
    }

    /** 5xx replies mean "never": the address or the message is refused, not the moment. */
    static boolean isPermanent(MessagingException e) {
        for (Exception cause = e; cause != null; ) {
            int code = -1;
            if (cause instanceof SMTPSendFailedException failed) {
                code = failed.getReturnCode();
            } else if (cause instanceof SMTPAddressFailedException failed) {
                code = failed.getReturnCode();
            } else if (cause instanceof SMTPSenderFailedException failed) {
                code = failed.getReturnCode();
            }
            if (code >= 500 && code < 600) {
                return true;
            }
            if (code >= 400) {
                return false;
            }
            cause =
                    cause instanceof MessagingException messaging
                            ? messaging.getNextException()
                            : null;
        }
        return false;
    }

    /** Whether the relay answered a recipient's RCPT with a 5xx: the address takes no mail. */
    static boolean recipientRefused(MessagingException e) {
        for (Exception cause = e; cause != null; ) {
            if (cause instanceof SMTPAddressFailedException failed
                    && failed.getReturnCode() >= 500
                    && failed.getReturnCode() < 600) {
                return true;
            }
            cause =
                    cause instanceof MessagingException messaging
                            ? messaging.getNextException()
                            : null;
        }
        return false;
    }

    /**
     * The failure with the relay's own reply when there is one ("Invalid Addresses" alone does not
     * say that the mailbox does not exist): that is what FAILED records as its reason.
     */
    static String describe(MessagingException e) {
        String message = e.getMessage();
        String outer = message == null ? e.getClass().getSimpleName() : message.strip();
        for (Exception cause = e.getNextException(); cause != null; ) {
            if (cause instanceof SMTPAddressFailedException
                    || cause instanceof SMTPSendFailedException
                    || cause instanceof SMTPSenderFailedException) {
                String reply = cause.getMessage() == null ? "" : cause.getMessage().strip();
                return reply.isEmpty() || outer.contains(reply) ? outer : outer + ": " + reply;
            }
            cause =
                    cause instanceof MessagingException messaging
                            ? messaging.getNextException()
                            : null;
        }
        return outer;
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // it is being replaced anyway
        }
    }

    @Override
    public void close() {
        for (Connection connection : idle) {
            closeQuietly(connection.transport);
        }
    }
}
