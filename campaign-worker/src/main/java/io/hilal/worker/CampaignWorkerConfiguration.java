package io.hilal.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.hilal.core.db.DatabaseFactory;
import io.hilal.core.lift.LiftReportFactory;
import io.hilal.worker.scheduling.SchedulerFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The worker's configuration: see config/campaign-worker.yml for every key and its default. */
public class CampaignWorkerConfiguration extends Configuration {
    @Valid @NotNull private DatabaseFactory database = new DatabaseFactory();

    @Valid @NotNull private SchedulerFactory scheduler = new SchedulerFactory();

    @Valid @NotNull private LiftReportFactory lift = new LiftReportFactory();

    @JsonProperty
    public LiftReportFactory getLift() {
        return lift;
    }

    @JsonProperty
    public void setLift(LiftReportFactory lift) {
        this.lift = lift;
    }

    @JsonProperty
    public DatabaseFactory getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(DatabaseFactory database) {
        this.database = database;
    }

    @JsonProperty
    public SchedulerFactory getScheduler() {
        return scheduler;
    }

    @JsonProperty
    public void setScheduler(SchedulerFactory scheduler) {
        this.scheduler = scheduler;
    }
}
