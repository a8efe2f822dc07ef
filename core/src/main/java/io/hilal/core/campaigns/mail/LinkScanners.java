package io.hilal.core.campaigns.mail;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Whether a visit of an email link is a mail filter checking it rather than the recipient. Security
 * gateways (Microsoft Defender Safe Links, Proofpoint URL Defense, Mimecast, Barracuda and the
 * like) open every link of a message as it is delivered, some with a user agent that names them,
 * some with a HEAD, many within a second or two of delivery, long before anyone could read the
 * email. Such a visit is still redirected (a scanner that sees no redirect may hold the message
 * back) but is not counted as engagement. A person clicking that fast, or with an unknown agent of
 * that kind, loses one click; a campaign's click rate is no longer inflated by every filtered
 * inbox.
 */
public final class LinkScanners {
    /** Visits this soon after the relay accepted the message are taken for a scanner's. */
    public static final Duration DELIVERY_WINDOW = Duration.ofSeconds(2);

    /** Lower-case parts of user agents that gateways and link checkers send. */
    static final List<String> AGENTS =
            List.of(
                    "safelinks",
                    "safe links",
                    "microsoft defender",
                    "bingpreview",
                    "proofpoint",
                    "urldefense",
                    "mimecast",
                    "barracuda",
                    "forcepoint",
                    "trendmicro",
                    "trend micro",
                    "symantec",
                    "messagelabs",
                    "fireeye",
                    "sophos",
                    "cisco ironport",
                    "linkchecker",
                    "bot/",
                    "crawler",
                    "spider",
                    "headlesschrome",
                    "python-requests",
                    "go-http-client",
                    "curl/",
                    "wget/");

    private LinkScanners() {}

    /**
     * @param method the HTTP method of the visit
     * @param userAgent its User-Agent header, or null when it sent none
     * @param sinceDelivery how long after the message was sent the visit came, or null when that is
     *     unknown (a test send, or a message the ledger has no sent time for)
     */
    public static boolean isScanner(String method, String userAgent, Duration sinceDelivery) {
        if ("HEAD".equalsIgnoreCase(method)) {
            return true;
        }
        if (userAgent == null || userAgent.isBlank()) {
            // Every mail client and browser names itself.
            return true;
        }
        if (sinceDelivery != null
                && !sinceDelivery.isNegative()
                && sinceDelivery.compareTo(DELIVERY_WINDOW) < 0) {
            return true;
        }
        String agent = userAgent.toLowerCase(Locale.ROOT);
        for (String part : AGENTS) {
            if (agent.contains(part)) {
                return true;
            }
        }
        return false;
    }
}
