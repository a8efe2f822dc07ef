package io.hilal.core.experiments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which arm of an experiment a customer is in: half of the space of SHA-256(tenant, experiment,
 * customer), so a customer stays in one arm on every instance and every request, and two
 * experiments split customers independently.
 */
public final class ArmAssignment {
    private ArmAssignment() {}

    /** {@code 'A'} or {@code 'B'}. */
    public static char arm(String tenantId, String experimentId, String customerId) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {tenantId, experimentId, customerId}) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            long value = ByteBuffer.wrap(digest.digest()).getLong();
            return (value >>> 63) == 0 ? 'A' : 'B';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
