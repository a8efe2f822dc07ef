package io.hilal.core.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per operator action (a tenant created, a key created or revoked, a campaign
 * launched, paused, resumed or cancelled, a dashboard user created), on its own logger so that it
 * can be routed or kept apart: {@code campaign.launched tenant=ten_… actor=key:key_…
 * object=campaign cmp_…}. The actor is whoever the request was authenticated as ({@link #ACTOR} in
 * the log context: an API key, the operator key, a dashboard user); outside a request, the command
 * line.
 */
public final class OperatorLog {
    /** The logger's name. */
    public static final String LOGGER = "hilal.operator";

    /** The log-context key the authentication filters set to the caller. */
    public static final String ACTOR = "actor";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private OperatorLog() {}

    /** Logs that {@code actor in context} did {@code action} on {@code object} of a tenant. */
    public static void action(String action, String tenantId, String object) {
        LOG.info("{} tenant={} actor={} object={}", action, tenantId, actor(), object);
    }

    static String actor() {
        String actor = MDC.get(ACTOR);
        return actor != null ? actor : "cli:" + System.getProperty("user.name", "unknown");
    }
}
