package io.hilal.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.logging.json.EventAttribute;
import io.dropwizard.logging.json.EventJsonLayoutBaseFactory;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.EnumSet;
import java.util.TimeZone;

/**
 * The application log's layout ({@code layout: {type: hilal, format: …}} in the YAMLs): the given
 * {@code pattern} as text, or with {@code format: json} Dropwizard's JSON layout, one object per
 * line with an ISO-8601 UTC timestamp and the log context flattened into it ({@code tenantId},
 * {@code requestId}, {@code campaignId}, {@code jobId}, {@code actor} where they apply).
 */
@JsonTypeName("hilal")
public class HilalLayoutFactory implements DiscoverableLayoutFactory<ILoggingEvent> {
    static final String TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";

    @NotNull private LogFormat format = LogFormat.TEXT;

    @NotEmpty
    private String pattern =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] [%X{requestId:-}%X{jobId:-}]"
                    + " [%X{tenantId:-}] %logger{36} - %msg%n";

    public LogFormat getFormat() {
        return format;
    }

    public void setFormat(LogFormat format) {
        this.format = format;
    }

    public String getPattern() {
        return pattern;
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public LayoutBase<ILoggingEvent> build(LoggerContext context, TimeZone timeZone) {
        if (format == LogFormat.JSON) {
            EventJsonLayoutBaseFactory json = new EventJsonLayoutBaseFactory();
            json.setTimestampFormat(TIMESTAMP_FORMAT);
            json.setFlattenMdc(true);
            json.setIncludes(
                    EnumSet.of(
                            EventAttribute.TIMESTAMP,
                            EventAttribute.LEVEL,
                            EventAttribute.THREAD_NAME,
                            EventAttribute.MDC,
                            EventAttribute.LOGGER_NAME,
                            EventAttribute.MESSAGE,
                            EventAttribute.EXCEPTION));
            return json.build(context, TimeZone.getTimeZone("UTC"));
        }
        PatternLayout text = new PatternLayout();
        text.setContext(context);
        text.setPattern(pattern);
        return text;
    }
}
