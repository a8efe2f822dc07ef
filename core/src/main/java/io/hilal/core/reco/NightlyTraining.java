package io.hilal.core.reco;

import java.time.Instant;

/**
 * Whether the nightly run retrains a tenant: when it never finished a training, when it received
 * events since its newest finished training started (that run read the events up to its start), or
 * while that training's trend week still held sales. Retraining on the same events gives the same
 * rankings except for the trending row, which counts the orders of the week before training: a
 * model trained when sales were recent keeps calling them trending until a training's week holds
 * none. An idle tenant is retrained until then (at most a week of nights), then left alone, so its
 * run does not take a training thread from the tenants with something new.
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
        if (lastEventReceived == null) {
            return false;
        }
        // An event received the very moment the run started may not have been read: retrain. An
        // event is received no earlier than it happened, so one received before the trend week
        // means that week held no sales.
        return !lastEventReceived.isBefore(
                lastTrainingStarted.minus(RecommendationModel.TREND_WEEK));
    }
}
