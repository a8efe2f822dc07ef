package io.hilal.core.campaigns.sending;

import java.time.Instant;

/**
 * One recipient of a campaign run, as planned: when to send (in UTC, already resolved from their
 * local time) and until when the offer is worth sending. Held-out customers are planned too, so
 * that they are measured exactly like the treated ones.
 */
public record PlannedSend(String customerId, Instant sendAt, Instant validUntil, boolean heldOut) {}
