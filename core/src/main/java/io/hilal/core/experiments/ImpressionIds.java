package io.hilal.core.experiments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Impression ids: {@code imp_} and 30 URL-safe characters holding a format byte, whether the
 * impression was stored (only experiment traffic is), four bytes of a hash of the tenant id, the
 * second it was served, eight random bytes and a CRC-32 of the rest. Every rows and recommendations
 * response gets one, but storing a row per response would cost more than the response itself; the
 * id instead carries what is needed to check a click or order that names it without a read: a
 * mistyped or truncated id fails the checksum, and one issued to another shop (a test key's id sent
 * with a live key) fails the tenant hash. This is a check against mistakes, not a signature: an id
 * can only ever be attributed within the tenant that sends the event, so a forged one harms no one
 * else, and a stored impression is looked up anyway.
 */
public final class ImpressionIds {
    static final String PREFIX = "imp_";
    private static final byte FORMAT = 1;
    private static final int BYTES = 22;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ImpressionIds() {}

    /** A decoded id, or why it is not one Hilal issued to this tenant. */
    public record Decoded(boolean stored, Instant servedAt, long seed, String problem) {
        public boolean valid() {
            return problem == null;
        }

        static Decoded invalid(String problem) {
            return new Decoded(false, null, 0, problem);
        }
    }

    /** A new id for a response served to {@code tenantId} at {@code servedAt}. */
    public static String issue(String tenantId, boolean stored, Instant servedAt) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return issue(tenantId, stored, servedAt, random);
    }

    static String issue(String tenantId, boolean stored, Instant servedAt, byte[] random) {
        ByteBuffer bytes = ByteBuffer.allocate(BYTES);
        bytes.put(FORMAT).put((byte) (stored ? 1 : 0)).put(tenantHash(tenantId));
        bytes.putInt((int) servedAt.getEpochSecond()).put(random, 0, 8);
        CRC32 crc = new CRC32();
        crc.update(bytes.array(), 0, BYTES - 4);
        bytes.putInt((int) crc.getValue());
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** Reads an id sent back with a click or order of {@code tenantId}. */
    public static Decoded decode(String tenantId, String impressionId) {
        if (impressionId == null
                || !impressionId.startsWith(PREFIX)
                || impressionId.length() != PREFIX.length() + 30) {
            return Decoded.invalid("is not an impression id Hilal issued (imp_ and 30 characters)");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(impressionId.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Decoded.invalid("is not an impression id Hilal issued");
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw);
        CRC32 crc = new CRC32();
        crc.update(raw, 0, BYTES - 4);
        if (raw.length != BYTES
                || raw[0] != FORMAT
                || bytes.getInt(BYTES - 4) != (int) crc.getValue()) {
            return Decoded.invalid("is not an impression id Hilal issued (checksum mismatch)");
        }
        byte[] tenant = tenantHash(tenantId);
        for (int i = 0; i < 4; i++) {
            if (raw[2 + i] != tenant[i]) {
                return Decoded.invalid("was not issued to this shop (check the API key)");
            }
        }
        long seconds = Integer.toUnsignedLong(bytes.getInt(6));
        return new Decoded(raw[1] == 1, Instant.ofEpochSecond(seconds), bytes.getLong(10), null);
    }

    private static byte[] tenantHash(String tenantId) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(tenantId.getBytes(StandardCharsets.UTF_8));
            return new byte[] {digest[0], digest[1], digest[2], digest[3]};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
