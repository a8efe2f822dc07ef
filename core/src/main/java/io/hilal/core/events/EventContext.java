package io.hilal.core.events;

/** Where an event happened: the device, the channel (web, app, store, email…) and the locale. */
public record EventContext(
        String device,
        String channel,
        String locale,
        String userAgent,
        String ip,
        String sessionId,
        String campaignId) {}
