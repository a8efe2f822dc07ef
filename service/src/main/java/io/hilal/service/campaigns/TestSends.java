package io.hilal.service.campaigns;

import io.dropwizard.lifecycle.Managed;
import io.hilal.core.campaigns.CampaignService;
import io.hilal.core.campaigns.OfferRenderer;
import io.hilal.core.campaigns.mail.SendResult;
import io.hilal.core.campaigns.mail.SmtpFactory;
import io.hilal.core.campaigns.mail.SmtpPool;
import io.hilal.core.error.ConflictException;
import io.hilal.core.error.ValidationException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Test sends: a campaign's preview email, as a chosen customer would get it, to an address the
 * marketer types. It goes through the same relay (or built-in capture) as the campaign's mail but
 * never to a customer and never into the send ledger, and its subject says it is a test. They are
 * on where the server knows a relay: {@code ./hilal serve} with its worker (the relay or the
 * built-in capture), or a service alone given the workers' relay ({@code HILAL_SMTP_HOST}).
 */
public final class TestSends implements Managed {
    private static final Pattern ADDRESS =
            Pattern.compile("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+");

    private volatile SmtpPool pool;

    /** Sends test emails through this relay from now on. */
    public synchronized void use(SmtpFactory smtp) {
        if (pool == null) {
            pool = smtp.build();
        }
    }

    public boolean enabled() {
        return pool != null;
    }

    @Override
    public synchronized void stop() {
        if (pool != null) {
            pool.close();
        }
    }

    /** Sends the preview email to {@code address}; the answer says what the relay did. */
    public SendResult send(CampaignService.Email preview, String campaignId, String address)
            throws InterruptedException {
        String to = address == null ? "" : address.strip();
        if (to.length() > 320 || !ADDRESS.matcher(to).matches()) {
            throw new ValidationException("address", "must be an email address");
        }
        SmtpPool current = pool;
        if (current == null) {
            throw new ConflictException(
                    "test_sends_unavailable",
                    "Test sends need an SMTP relay: set HILAL_SMTP_HOST for the service, as for"
                            + " the workers (or run ./hilal serve with its worker)");
        }
        Map<String, String> headers = new HashMap<>();
        headers.put(MailCapture.CAMPAIGN_HEADER, campaignId);
        headers.put("X-Hilal-Test-Send", "true");
        return current.send(
                new OfferRenderer.RenderedEmail(
                        preview.from(),
                        to,
                        null,
                        "[Test] " + preview.subject(),
                        preview.html(),
                        preview.text(),
                        headers));
    }
}
