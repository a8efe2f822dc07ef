package io.hilal.core.reco;

import java.time.Instant;

/** What a customer searched the shop for, and when. */
public record Search(String query, Instant at) {}
