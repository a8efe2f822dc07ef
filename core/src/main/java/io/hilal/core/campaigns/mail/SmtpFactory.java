package io.hilal.core.campaigns.mail;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Properties;

/** The SMTP relay campaign mail goes through, and how many connections to keep open to it. */
public class SmtpFactory {
    /** Empty: no relay is configured (the worker alone refuses to start; serve captures mail). */
    @NotNull private String host = "127.0.0.1";

    @Min(1)
    @Max(65535)
    private int port = 2525;

    private String username = "";

    private String password = "";

    private boolean startTls = false;

    @Min(1)
    @Max(32)
    private int connections = 2;

    @Min(1)
    @Max(10)
    private int maxAttempts = 4;

    @Min(1)
    private long firstBackoffMillis = 500;

    @Min(100)
    private int timeoutMillis = 10_000;

    /**
     * Whether a socket write that blocks longer than the timeout fails (Jakarta Mail's {@code
     * mail.smtp.writetimeout}); connects and reads time out either way. Its price is a timer task,
     * and a wake-up of the connection's timer thread, for every write: against a relay on the same
     * machine, sending ran a quarter faster without it (BENCHMARKS.md). A campaign email fits in
     * the socket's buffers, so a write blocks only when the relay has stopped reading what came
     * before.
     */
    private boolean writeTimeout = true;

    @JsonProperty
    public String getHost() {
        return host;
    }

    @JsonProperty
    public void setHost(String host) {
        this.host = host == null ? "" : host.strip();
    }

    /** Whether a relay host is configured. */
    public boolean hasRelay() {
        return !host.isEmpty();
    }

    @JsonProperty
    public int getPort() {
        return port;
    }

    @JsonProperty
    public void setPort(int port) {
        this.port = port;
    }

    @JsonProperty
    public String getUsername() {
        return username;
    }

    @JsonProperty
    public void setUsername(String username) {
        this.username = username == null ? "" : username;
    }

    @JsonProperty
    public String getPassword() {
        return password;
    }

    @JsonProperty
    public void setPassword(String password) {
        this.password = password == null ? "" : password;
    }

    @JsonProperty
    public boolean isStartTls() {
        return startTls;
    }

    @JsonProperty
    public void setStartTls(boolean startTls) {
        this.startTls = startTls;
    }

    @JsonProperty
    public int getConnections() {
        return connections;
    }

    @JsonProperty
    public void setConnections(int connections) {
        this.connections = connections;
    }

    @JsonProperty
    public int getMaxAttempts() {
        return maxAttempts;
    }

    @JsonProperty
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    @JsonProperty
    public long getFirstBackoffMillis() {
        return firstBackoffMillis;
    }

    @JsonProperty
    public void setFirstBackoffMillis(long firstBackoffMillis) {
        this.firstBackoffMillis = firstBackoffMillis;
    }

    @JsonProperty
    public int getTimeoutMillis() {
        return timeoutMillis;
    }

    @JsonProperty
    public void setTimeoutMillis(int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @JsonProperty
    public boolean isWriteTimeout() {
        return writeTimeout;
    }

    @JsonProperty
    public void setWriteTimeout(boolean writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    Properties sessionProperties() {
        Properties properties = new Properties();
        properties.put("mail.transport.protocol", "smtp");
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", Integer.toString(port));
        properties.put("mail.smtp.auth", Boolean.toString(!username.isEmpty()));
        properties.put("mail.smtp.starttls.enable", Boolean.toString(startTls));
        properties.put("mail.smtp.starttls.required", Boolean.toString(startTls));
        properties.put("mail.smtp.connectiontimeout", Integer.toString(timeoutMillis));
        properties.put("mail.smtp.timeout", Integer.toString(timeoutMillis));
        if (writeTimeout) {
            properties.put("mail.smtp.writetimeout", Integer.toString(timeoutMillis));
        }
        return properties;
    }

    public SmtpPool build() {
        return new SmtpPool(this);
    }
}
