package io.hilal.core.api;

import io.hilal.core.error.HilalException;
import io.hilal.core.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code Idempotency-Key} for POSTs: the first request with a key runs and its answer is stored; a
 * retry with the same key and the same request gets the stored answer (one effect, same response);
 * the same key with a different request is refused (422), and a retry while the first is still
 * running is told to wait (409, retryable). Keys are per tenant and kept 24 hours. A request that
 * fails is forgotten, so it can be retried with the same key.
 */
public final class Idempotency {
    static final Duration KEPT = Duration.ofHours(24);

    private final Jdbi jdbi;
    private final Clock clock;

    public Idempotency(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A response: status and JSON body; {@code replayed} when it is a stored one. */
    public record Outcome(int status, String body, boolean replayed) {}

    /**
     * Runs {@code action} once per key.
     *
     * @param request what identifies the request: method, path and body
     */
    public Outcome execute(String tenantId, String key, String request, Supplier<Outcome> action) {
        if (key == null) {
            return action.get();
        }
        if (key.isBlank() || key.length() > 255) {
            throw new ValidationException("Idempotency-Key", "must be 1 to 255 characters");
        }
        String hash = sha256(request);
        Instant now = clock.instant();
        Optional<Outcome> earlier =
                jdbi.inTransaction(
                        handle -> {
                            handle.createUpdate(
                                            "DELETE FROM idempotency_keys WHERE tenant_id = :tenantId"
                                                    + " AND idempotency_key = :key AND created_at < :expired")
                                    .bind("tenantId", tenantId)
                                    .bind("key", key)
                                    .bind("expired", now.minus(KEPT))
                                    .execute();
                            int inserted =
                                    handle.createUpdate(
                                                    "INSERT IGNORE INTO idempotency_keys (tenant_id,"
                                                            + " idempotency_key, request_hash, created_at)"
                                                            + " VALUES (:tenantId, :key, :hash, :now)")
                                            .bind("tenantId", tenantId)
                                            .bind("key", key)
                                            .bind("hash", hash)
                                            .bind("now", now)
                                            .execute();
                            if (inserted == 1) {
                                return Optional.empty();
                            }
                            return Optional.of(
                                    handle.createQuery(
                                                    "SELECT request_hash, status, response FROM"
                                                            + " idempotency_keys WHERE tenant_id = :tenantId"
                                                            + " AND idempotency_key = :key")
                                            .bind("tenantId", tenantId)
                                            .bind("key", key)
                                            .map(
                                                    (rs, ctx) -> {
                                                        if (!hash.equals(rs.getString(1))) {
                                                            throw new ReusedKeyException();
                                                        }
                                                        int status = rs.getInt(2);
                                                        if (rs.wasNull()) {
                                                            throw new InProgressException();
                                                        }
                                                        return new Outcome(
                                                                status, rs.getString(3), true);
                                                    })
                                            .one());
                        });
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Outcome outcome;
        try {
            outcome = action.get();
        } catch (RuntimeException e) {
            forget(tenantId, key);
            throw e;
        }
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "UPDATE idempotency_keys SET status = :status, response ="
                                                + " :body WHERE tenant_id = :tenantId AND idempotency_key = :key")
                                .bind("status", outcome.status())
                                .bind("body", outcome.body())
                                .bind("tenantId", tenantId)
                                .bind("key", key)
                                .execute());
        return outcome;
    }

    private void forget(String tenantId, String key) {
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "DELETE FROM idempotency_keys WHERE tenant_id = :tenantId"
                                                + " AND idempotency_key = :key AND status IS NULL")
                                .bind("tenantId", tenantId)
                                .bind("key", key)
                                .execute());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The key was used before for a different request. */
    static final class ReusedKeyException extends HilalException {
        private static final long serialVersionUID = 1L;

        ReusedKeyException() {
            super(
                    422,
                    "idempotency_key_reused",
                    "Idempotency key reused",
                    "This Idempotency-Key was used for a different request");
        }
    }

    /** The first request with the key has not finished. */
    static final class InProgressException extends HilalException {
        private static final long serialVersionUID = 1L;

        InProgressException() {
            super(
                    409,
                    "idempotency_in_progress",
                    "Conflict",
                    "A request with this Idempotency-Key is still being processed; retry shortly",
                    true,
                    java.util.List.of(),
                    null);
        }
    }
}
