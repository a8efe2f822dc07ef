package io.hilal.logging;

import ch.qos.logback.access.common.PatternLayout;
import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.logging.json.AccessAttribute;
import io.dropwizard.logging.json.AccessJsonLayoutBaseFactory;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.EnumSet;
import java.util.Set;
import java.util.TimeZone;

/**
 * The request log's layout ({@code layout: {type: hilal-request, format: …}}): one compact line per
 * request (time, request id, method, path without its query, status, bytes, milliseconds), or with
 * {@code format: json} Dropwizard's access JSON layout with the same fields. The query string and
 * headers are left out: they can carry emails and keys.
 */
@JsonTypeName("hilal-request")
public class HilalRequestLayoutFactory implements DiscoverableLayoutFactory<IAccessEvent> {
    @NotNull private LogFormat format = LogFormat.TEXT;

    @NotEmpty
    private String pattern =
            "%t{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} REQUEST [%responseHeader{X-Request-Id}] %m %U"
                    + " %s %b B %D ms%n";

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
    public LayoutBase<IAccessEvent> build(LoggerContext context, TimeZone timeZone) {
        if (format == LogFormat.JSON) {
            AccessJsonLayoutBaseFactory json = new AccessJsonLayoutBaseFactory();
            json.setTimestampFormat(HilalLayoutFactory.TIMESTAMP_FORMAT);
            json.setIncludes(
                    EnumSet.of(
                            AccessAttribute.TIMESTAMP,
                            AccessAttribute.METHOD,
                            AccessAttribute.REQUEST_URI,
                            AccessAttribute.STATUS_CODE,
                            AccessAttribute.CONTENT_LENGTH,
                            AccessAttribute.REQUEST_TIME));
            json.setResponseHeaders(Set.of("X-Request-Id"));
            return json.build(context, TimeZone.getTimeZone("UTC"));
        }
        PatternLayout text = new PatternLayout();
        text.setContext(context);
        text.setPattern(pattern);
        return text;
    }
}
