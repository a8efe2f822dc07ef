package io.hilal.core.campaigns;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic random holdout assignment: a customer is held out when the hash of the campaign's
 * salt and their id falls below the holdout share. The same customer always lands in the same group
 * for a campaign (reruns, retries and other workers agree without coordination), and different
 * campaigns (different salts) split independently.
 */
public record Holdout(String salt, double share) {
    public Holdout {
        if (share < 0 || share > 0.5) {
            throw new IllegalArgumentException("holdout share must be between 0 and 0.5");
        }
    }

    public boolean heldOut(String customerId) {
        return unit(customerId) < share;
    }

    /** A uniform number in [0, 1) from the first 53 bits of SHA-256(salt ":" customerId). */
    double unit(String customerId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) ':');
            byte[] digest = sha.digest(customerId.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(digest).getLong() >>> 11;
            return bits / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
