package io.hilal.core.campaigns.mail;

/**
 * What became of one message: handed to the relay, refused for good (a 5xx: a bad address, a policy
 * rejection), or not sent after every retry of a temporary failure (the relay was down). {@code
 * recipientRefused} says that a permanent failure was the relay's 5xx to the recipient (RCPT), i.e.
 * the address does not take mail: a bounce at send time.
 */
public record SendResult(Status status, String reason, boolean recipientRefused) {
    public enum Status {
        SENT,
        PERMANENT_FAILURE,
        TEMPORARY_FAILURE
    }

    public SendResult(Status status, String reason) {
        this(status, reason, false);
    }

    public static SendResult sent() {
        return new SendResult(Status.SENT, null);
    }
}
