package io.hilal.core.campaigns.mail;

/**
 * What became of one message: handed to the relay, refused for good (a 5xx: a bad address, a policy
 * rejection), or not sent after every retry of a temporary failure (the relay was down).
 */
public record SendResult(Status status, String reason) {
    public enum Status {
        SENT,
        PERMANENT_FAILURE,
        TEMPORARY_FAILURE
    }

    public static SendResult sent() {
        return new SendResult(Status.SENT, null);
    }
}
