package io.hilal.service.platform.auth;

/**
 * The limits on what an unauthenticated caller can make the service do, each checked before the
 * expensive part: sign-in attempts per client address and per email (before the password hash
 * runs), requests with an unknown API key per address, and email-link requests per address.
 */
public record AttemptLimits(
        AttemptLimiter signInByAddress,
        AttemptLimiter signInByEmail,
        AttemptLimiter unknownKeysByAddress,
        AttemptLimiter mailLinksByAddress) {}
