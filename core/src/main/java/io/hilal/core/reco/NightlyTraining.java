package io.hilal.core.reco;

import java.time.Instant;

/**
 * Whether the nightly run retrains a tenant: only when it received events since its newest finished
 * training started (that run read the events up to its start), or never finished one. Retraining on
 * the same events gives the same models, so an idle tenant's run would only take a training thread
 * from the tenants with something new.
 */
public final class NightlyTraining {
    private NightlyTraining() {}

    /**
     * @param lastTrainingStarted when the newest finished training started; null if none finished
     * @param lastEventReceived when the newest event was received; null if none
     */
    public static boolean due(Instant lastTrainingStarted, Instant lastEventReceived) {
        if (lastTrainingStarted == null) {
            return true;
        }
        // An event received the very moment the run started may not have been read: retrain.
        return lastEventReceived != null && !lastEventReceived.isBefore(lastTrainingStarted);
    }
}
