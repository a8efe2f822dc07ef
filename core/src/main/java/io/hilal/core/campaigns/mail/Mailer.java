package io.hilal.core.campaigns.mail;

import io.hilal.core.campaigns.OfferRenderer;

/**
 * Hands one rendered email to a relay and says what became of it; never throws for SMTP trouble.
 */
public interface Mailer {
    SendResult send(OfferRenderer.RenderedEmail email) throws InterruptedException;
}
