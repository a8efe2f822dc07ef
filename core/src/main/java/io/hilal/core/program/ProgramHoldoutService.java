package io.hilal.core.program;

import io.hilal.core.audit.OperatorLog;
import io.hilal.core.error.ValidationException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.jdbi.v3.core.Jdbi;

/**
 * The one door to {@code program_holdouts}: a tenant's program holdout as set, and its change. A
 * new share keeps the salt (customers held out at 5% stay held out at 10%) but starts a new
 * measurement, since the groups compared changed.
 */
public final class ProgramHoldoutService {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final Clock clock;

    public ProgramHoldoutService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The tenant's program holdout, {@link ProgramHoldout#OFF} when never set. */
    public ProgramHoldout get(String tenantId) {
        return jdbi.withHandle(
                handle ->
                        handle.createQuery(
                                        "SELECT share, salt, started_at FROM program_holdouts"
                                                + " WHERE tenant_id = :tenantId")
                                .bind("tenantId", tenantId)
                                .map(
                                        (rs, ctx) ->
                                                new ProgramHoldout(
                                                        rs.getDouble(1),
                                                        rs.getString(2),
                                                        rs.getObject(3, LocalDateTime.class)
                                                                .toInstant(ZoneOffset.UTC)))
                                .findOne()
                                .orElse(ProgramHoldout.OFF));
    }

    /** Sets the share (0 turns it off); 422 outside 0 to {@link ProgramHoldout#MAX_SHARE}. */
    public ProgramHoldout put(String tenantId, Double share) {
        if (share == null || !(share >= 0 && share <= ProgramHoldout.MAX_SHARE)) {
            throw new ValidationException(
                    "share", "must be between 0 (off) and " + ProgramHoldout.MAX_SHARE);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ProgramHoldout current = get(tenantId);
        if (current.on() && current.share() == share) {
            return current;
        }
        String salt = current.salt().isEmpty() ? randomSalt() : current.salt();
        jdbi.useHandle(
                handle ->
                        handle.createUpdate(
                                        "INSERT INTO program_holdouts (tenant_id, share, salt,"
                                                + " started_at, updated_at) VALUES (:tenantId,"
                                                + " :share, :salt, :now, :now)"
                                                + " ON DUPLICATE KEY UPDATE share = :share,"
                                                + " started_at = :now, updated_at = :now")
                                .bind("tenantId", tenantId)
                                .bind("share", share)
                                .bind("salt", salt)
                                .bind("now", now)
                                .execute());
        OperatorLog.action(
                "program_holdout.set",
                tenantId,
                "program_holdout share " + share + " (was " + current.share() + ")");
        return get(tenantId);
    }

    private static String randomSalt() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
