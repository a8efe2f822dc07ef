package io.hilal.core.experiments;

import io.hilal.core.events.EventRequest;
import io.hilal.core.events.EventType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Checks the impression ids that clicks and orders carry, and for an impression served in an
 * experiment builds the attribution row stored with the event (a click on an interleaved list is
 * credited to the team that contributed its product). One read per batch, only for ids marked as
 * stored.
 */
public final class ImpressionAttribution {
    private final Jdbi jdbi;

    public ImpressionAttribution(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * What an event's impression id amounts to: a problem (the id is not one of this tenant's), or
     * an attribution to store (null for a valid impression outside any experiment).
     */
    public record Outcome(String problem, ImpressionDao.Attribution attribution) {}

    /** Outcomes by message id for the events that carry an impression id. */
    public Map<String, Outcome> resolve(String tenantId, List<EventRequest> events) {
        Map<String, ImpressionIds.Decoded> decoded = new LinkedHashMap<>();
        for (EventRequest event : events) {
            if (event.impressionId() != null) {
                decoded.put(
                        event.messageId(), ImpressionIds.decode(tenantId, event.impressionId()));
            }
        }
        Set<String> stored =
                events.stream()
                        .filter(event -> event.impressionId() != null)
                        .filter(event -> decoded.get(event.messageId()).stored())
                        .map(EventRequest::impressionId)
                        .collect(Collectors.toSet());
        Map<String, ImpressionDao.Impression> impressions = new HashMap<>();
        if (!stored.isEmpty()) {
            jdbi.onDemand(ImpressionDao.class)
                    .find(tenantId, stored)
                    .forEach(found -> impressions.put(found.impressionId(), found));
        }
        Map<String, Outcome> outcomes = new HashMap<>();
        for (EventRequest event : events) {
            ImpressionIds.Decoded id = decoded.get(event.messageId());
            if (id == null) {
                continue;
            }
            if (!id.valid()) {
                outcomes.put(event.messageId(), new Outcome(id.problem(), null));
            } else if (!id.stored()) {
                outcomes.put(event.messageId(), new Outcome(null, null));
            } else {
                ImpressionDao.Impression impression = impressions.get(event.impressionId());
                outcomes.put(
                        event.messageId(),
                        impression == null
                                ? new Outcome("is not an impression served to this shop", null)
                                : new Outcome(null, attribution(event, impression)));
            }
        }
        return outcomes;
    }

    private static ImpressionDao.Attribution attribution(
            EventRequest event, ImpressionDao.Impression impression) {
        boolean click = EventType.RECOMMENDATION_CLICKED.equals(event.type());
        return new ImpressionDao.Attribution(
                event.messageId(),
                impression.impressionId(),
                impression.experimentId(),
                impression.arm(),
                impression.customerId(),
                click ? "click" : "order",
                click ? event.productId() : null,
                click ? null : event.orderId(),
                click ? team(impression, event.productId()) : null,
                event.timestamp());
    }

    /** The team that contributed the product to an interleaved list, or null. */
    static String team(ImpressionDao.Impression impression, String productId) {
        if (impression.products() == null || impression.teams() == null) {
            return null;
        }
        String[] products = impression.products().split("\t", -1);
        for (int i = 0; i < products.length && i < impression.teams().length(); i++) {
            if (products[i].equals(productId)) {
                return String.valueOf(impression.teams().charAt(i));
            }
        }
        return null;
    }
}
