package io.hilal.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.hilal.core.campaigns.mail.MailLinksFactory;
import io.hilal.core.campaigns.mail.SmtpFactory;
import io.hilal.core.db.DatabaseFactory;
import io.hilal.core.lift.LiftReportFactory;
import io.hilal.worker.campaigns.SendingFactory;
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

    @Valid @NotNull private SmtpFactory smtp = new SmtpFactory();

    @Valid @NotNull private MailLinksFactory mailLinks = new MailLinksFactory();

    @Valid @NotNull private SendingFactory sending = new SendingFactory();

    @JsonProperty
    public SmtpFactory getSmtp() {
        return smtp;
    }

    @JsonProperty
    public void setSmtp(SmtpFactory smtp) {
        this.smtp = smtp;
    }

    @JsonProperty
    public MailLinksFactory getMailLinks() {
        return mailLinks;
    }

    @JsonProperty
    public void setMailLinks(MailLinksFactory mailLinks) {
        this.mailLinks = mailLinks;
    }

    @JsonProperty
    public SendingFactory getSending() {
        return sending;
    }

    @JsonProperty
    public void setSending(SendingFactory sending) {
        this.sending = sending;
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
