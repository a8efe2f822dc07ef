package io.hilal.core.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of an API key, {@code hk_live_<key id>_<secret>}. The key id is public and finds
 * the stored row; the 256-bit secret is shown once and only its SHA-256 is kept. A fast hash is
 * enough because the secret is random, not a password someone chose.
 */
public record ApiKeyToken(String keyId, String secret) {
    private static final String PREFIX = "hk_live_";
    private static final Pattern FORMAT = Pattern.compile("hk_live_([0-9a-f]{16})_([0-9a-f]{64})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    public static ApiKeyToken generate() {
        return new ApiKeyToken(randomHex(8), randomHex(32));
    }

    public static Optional<ApiKeyToken> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = FORMAT.matcher(text);
        return matcher.matches()
                ? Optional.of(new ApiKeyToken(matcher.group(1), matcher.group(2)))
                : Optional.empty();
    }

    public String text() {
        return PREFIX + keyId + "_" + secret;
    }

    public byte[] secretHash() {
        return sha256(secret);
    }

    /** Constant-time comparison of this token's secret with a stored hash. */
    public boolean matches(byte[] storedHash) {
        return MessageDigest.isEqual(secretHash(), storedHash);
    }

    static String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HEX.formatHex(buffer);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        // Never let a secret reach a log line by accident.
        return PREFIX + keyId + "_***";
    }
}
