package io.hilal.worker.journeys;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * How often the journey planner reads new events (the delay between a cart add being ingested and
 * its email being planned is at most about this), and how often it sweeps purchase histories for
 * win-back and restock entries.
 */
public class JourneysFactory {
    @Min(1)
    @Max(60)
    private int pollSeconds = 2;

    @Min(1)
    @Max(1440)
    private int sweepMinutes = 15;

    @JsonProperty
    public int getPollSeconds() {
        return pollSeconds;
    }

    @JsonProperty
    public void setPollSeconds(int pollSeconds) {
        this.pollSeconds = pollSeconds;
    }

    @JsonProperty
    public int getSweepMinutes() {
        return sweepMinutes;
    }

    @JsonProperty
    public void setSweepMinutes(int sweepMinutes) {
        this.sweepMinutes = sweepMinutes;
    }

    public Duration sweepInterval() {
        return Duration.ofMinutes(sweepMinutes);
    }
}
