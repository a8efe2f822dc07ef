package io.hilal.core.campaigns;

import io.hilal.core.api.Cursors;
import io.hilal.core.api.Page;
import io.hilal.core.error.Checks;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.error.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The suppression list as a merchant sees it: which addresses no campaign may email and why, and
 * taking one off, which is only allowed together with a recorded new consent (its source and time,
 * written on the customers with that address in the same transaction): an unsubscribe or a
 * complaint must not be undone by a click.
 */
public final class SuppressionService {
    /** A new consent that lifts a suppression. */
    public record Removal(String consentSource, Instant consentAt) {}

    /** What a removal did. */
    public record Removed(String email, String reason, int customersWithConsent) {}

    private final Jdbi jdbi;
    private final Clock clock;

    public SuppressionService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Page<SuppressionDao.Suppression> page(String tenantId, String cursor, int limit) {
        String after = null;
        if (cursor != null && !cursor.isEmpty()) {
            after = Cursors.decode(cursor, 1).get(0);
        }
        String from = after;
        List<SuppressionDao.Suppression> rows =
                jdbi.withExtension(
                        SuppressionDao.class, dao -> dao.page(tenantId, from, limit + 1));
        List<SuppressionDao.Suppression> items = rows.subList(0, Math.min(limit, rows.size()));
        String next =
                rows.size() > limit ? Cursors.encode(items.get(items.size() - 1).email()) : null;
        return new Page<>(List.copyOf(items), next);
    }

    public SuppressionDao.Suppression get(String tenantId, String email) {
        return jdbi.withExtension(
                        SuppressionDao.class, dao -> dao.find(tenantId, normalized(email)))
                .orElseThrow(
                        () -> new NotFoundException("No such address on the suppression list"));
    }

    /** Lifts a suppression, recording the new consent; refused without one. */
    public Removed remove(String tenantId, String email, Removal removal) {
        Checks checks = new Checks();
        String source = removal == null ? null : removal.consentSource();
        checks.required("consentSource", source == null || source.isBlank() ? null : source)
                .maxLength("consentSource", source, 100);
        Instant now = clock.instant();
        Instant at = removal == null || removal.consentAt() == null ? now : removal.consentAt();
        if (at.isAfter(now)) {
            checks.fail("consentAt", "must not be in the future");
        }
        if (!checks.ok()) {
            throw new ValidationException(checks.errors());
        }
        String address = normalized(email);
        return jdbi.inTransaction(
                handle -> {
                    SuppressionDao dao = handle.attach(SuppressionDao.class);
                    SuppressionDao.Suppression found =
                            dao.find(tenantId, address)
                                    .orElseThrow(
                                            () ->
                                                    new NotFoundException(
                                                            "No such address on the suppression list"));
                    int customers = dao.grantConsent(tenantId, address, source.strip(), at, now);
                    dao.delete(tenantId, address);
                    return new Removed(found.email(), found.reason(), customers);
                });
    }

    private static String normalized(String email) {
        return email == null ? "" : email.strip();
    }
}
