package io.hilal.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.hilal.core.campaigns.mail.MailLinksFactory;
import io.hilal.core.campaigns.mail.SmtpFactory;
import io.hilal.core.db.DatabaseFactory;
import io.hilal.core.lift.LiftReportFactory;
import io.hilal.worker.campaigns.SendingFactory;
import io.hilal.worker.journeys.JourneysFactory;
import io.hilal.worker.scheduling.SchedulerFactory;
import io.hilal.worker.training.ModelRetentionFactory;
import io.hilal.worker.training.spark.SparkTrainerFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The worker's configuration: see config/campaign-worker.yml for every key and its default. */
public class CampaignWorkerConfiguration extends Configuration {
    @Valid @NotNull private DatabaseFactory database = new DatabaseFactory();

    @Valid @NotNull private SchedulerFactory scheduler = new SchedulerFactory();

    @Valid @NotNull private LiftReportFactory lift = new LiftReportFactory();

    @Valid @NotNull private SparkTrainerFactory sparkTrainer = new SparkTrainerFactory();

    @JsonProperty
    public SparkTrainerFactory getSparkTrainer() {
        return sparkTrainer;
    }

    @JsonProperty
    public void setSparkTrainer(SparkTrainerFactory sparkTrainer) {
        this.sparkTrainer = sparkTrainer;
    }

    /**
     * With a token, every admin-port request (metrics, health checks, tasks) must carry it as a
     * Bearer token. Only ever set from the environment (HILAL_ADMIN_TOKEN, as the service's).
     */
    @NotNull private String adminToken = "";

    /** The host names the admin port answers to (the Host header, without port). */
    @NotNull private List<String> adminHosts = List.of("localhost", "127.0.0.1", "[::1]");

    @JsonProperty
    public String getAdminToken() {
        return adminToken;
    }

    @JsonProperty
    public void setAdminToken(String adminToken) {
        this.adminToken = adminToken == null ? "" : adminToken;
    }

    @JsonProperty
    public List<String> getAdminHosts() {
        return adminHosts;
    }

    @JsonProperty
    public void setAdminHosts(List<String> adminHosts) {
        this.adminHosts = adminHosts == null ? List.of() : adminHosts;
    }

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

    @Valid @NotNull private ModelRetentionFactory models = new ModelRetentionFactory();

    @JsonProperty
    public ModelRetentionFactory getModels() {
        return models;
    }

    @JsonProperty
    public void setModels(ModelRetentionFactory models) {
        this.models = models;
    }

    @Valid @NotNull private JourneysFactory journeys = new JourneysFactory();

    @JsonProperty
    public JourneysFactory getJourneys() {
        return journeys;
    }

    @JsonProperty
    public void setJourneys(JourneysFactory journeys) {
        this.journeys = journeys;
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
