package io.hilal.core.journeys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hilal.core.api.Cursors;
import io.hilal.core.api.Page;
import io.hilal.core.campaigns.CampaignStatus;
import io.hilal.core.error.ConflictException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.error.ValidationException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Creates, lists, pauses and resumes a tenant's journeys. A journey is created active, with the
 * campaigns row its sends go out under (same id, kind 'journey'); pausing it pauses that row too,
 * so the sender holds its waiting sends, and the planner stops taking customers in.
 */
public final class JourneyService {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final Clock clock;

    public JourneyService(Jdbi jdbi, ObjectMapper mapper, Clock clock) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.clock = clock;
    }

    public Journey create(String tenantId, JourneyRequest request) {
        if (request == null) {
            throw new ValidationException("", "a journey object is required");
        }
        request.validate().throwIfAny();
        JourneyRequest definition = request.withDefaults();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String journeyId = "jrn_" + randomHex(12);
        String salt = randomHex(16);
        JourneyDao.JourneyRow row =
                new JourneyDao.JourneyRow(
                        tenantId,
                        journeyId,
                        definition.name(),
                        definition.kind(),
                        JourneyStatus.ACTIVE.wireName(),
                        salt,
                        json(definition),
                        now,
                        now);
        String backing = json(definition.backing().withDefaults());
        jdbi.useTransaction(
                handle -> {
                    handle.attach(JourneyDao.class).insert(row);
                    handle.createUpdate(
                                    "INSERT INTO campaigns (tenant_id, campaign_id, name, status,"
                                            + " holdout_share, salt, definition, created_at,"
                                            + " updated_at, launched_at, kind) VALUES (:tenantId,"
                                            + " :id, :name, :status, :share, :salt, :definition,"
                                            + " :now, :now, :now, 'journey')")
                            .bind("tenantId", tenantId)
                            .bind("id", journeyId)
                            .bind("name", definition.name())
                            .bind("status", CampaignStatus.SCHEDULED.wireName())
                            .bind("share", definition.holdoutShare())
                            .bind("salt", salt)
                            .bind("definition", backing)
                            .bind("now", now)
                            .execute();
                });
        return journey(row);
    }

    public Journey get(String tenantId, String journeyId) {
        return journey(row(tenantId, journeyId));
    }

    public Page<Journey> page(String tenantId, String cursor, int limit) {
        Instant afterCreated = null;
        String afterId = null;
        if (cursor != null && !cursor.isEmpty()) {
            List<String> parts = Cursors.decode(cursor, 2);
            try {
                afterCreated = Instant.parse(parts.get(0));
            } catch (DateTimeParseException e) {
                throw Cursors.invalid();
            }
            afterId = parts.get(1);
        }
        Instant created = afterCreated;
        String id = afterId;
        List<JourneyDao.JourneyRow> rows =
                jdbi.withExtension(
                        JourneyDao.class, dao -> dao.page(tenantId, created, id, limit + 1));
        List<Journey> items = new ArrayList<>();
        for (JourneyDao.JourneyRow row : rows.subList(0, Math.min(limit, rows.size()))) {
            items.add(journey(row));
        }
        String next = null;
        if (rows.size() > limit) {
            Journey last = items.get(items.size() - 1);
            next = Cursors.encode(last.createdAt().toString(), last.id());
        }
        return new Page<>(items, next);
    }

    public Journey pause(String tenantId, String journeyId) {
        return move(tenantId, journeyId, JourneyStatus.ACTIVE, JourneyStatus.PAUSED);
    }

    public Journey resume(String tenantId, String journeyId) {
        return move(tenantId, journeyId, JourneyStatus.PAUSED, JourneyStatus.ACTIVE);
    }

    private Journey move(String tenantId, String journeyId, JourneyStatus from, JourneyStatus to) {
        row(tenantId, journeyId);
        Instant now = clock.instant();
        boolean moved =
                jdbi.inTransaction(
                        handle -> {
                            int changed =
                                    handle.attach(JourneyDao.class)
                                            .transition(
                                                    tenantId,
                                                    journeyId,
                                                    from.wireName(),
                                                    to.wireName(),
                                                    now);
                            if (changed == 0) {
                                return false;
                            }
                            handle.createUpdate(
                                            "UPDATE campaigns SET status = :to, updated_at = :now"
                                                    + " WHERE tenant_id = :tenantId AND"
                                                    + " campaign_id = :id AND kind = 'journey'")
                                    .bind(
                                            "to",
                                            (to == JourneyStatus.ACTIVE
                                                            ? CampaignStatus.SCHEDULED
                                                            : CampaignStatus.PAUSED)
                                                    .wireName())
                                    .bind("now", now)
                                    .bind("tenantId", tenantId)
                                    .bind("id", journeyId)
                                    .execute();
                            return true;
                        });
        if (!moved) {
            throw new ConflictException(
                    "journey_not_" + from.wireName(),
                    "Journey " + journeyId + " is not " + from.wireName());
        }
        return get(tenantId, journeyId);
    }

    private JourneyDao.JourneyRow row(String tenantId, String journeyId) {
        return jdbi.withExtension(JourneyDao.class, dao -> dao.find(tenantId, journeyId))
                .orElseThrow(() -> new NotFoundException("journey", journeyId));
    }

    /** The stored definition of a row. */
    JourneyRequest definition(JourneyDao.JourneyRow row) {
        try {
            return mapper.readValue(row.definition(), JourneyRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored journey " + row.journeyId() + " unreadable", e);
        }
    }

    Journey journey(JourneyDao.JourneyRow row) {
        JourneyRequest definition = definition(row);
        return new Journey(
                row.journeyId(),
                row.name(),
                definition.parsedKind(),
                JourneyStatus.fromWireName(row.status()),
                definition.delay(),
                definition.holdoutShare(),
                definition.validFor(),
                definition.offer(),
                definition.limits(),
                row.createdAt(),
                row.updatedAt());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a journey definition is always writable", e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
