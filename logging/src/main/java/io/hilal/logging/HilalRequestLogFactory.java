package io.hilal.logging;

import ch.qos.logback.access.jetty.RequestLogImpl;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import java.io.PrintStream;
import java.util.List;
import org.eclipse.jetty.server.RequestLog;

/**
 * The request log ({@code requestLog: {type: hilal, appenders: …}}): Dropwizard's logback-access
 * request log, which on every start printed its whole status list, two warnings among it that are
 * false: logback-access checks its own jar's version against the class it runs as, here
 * Dropwizard's subclass, and finds "5.0.1" and "?" where the jars are the same release. A newcomer
 * reads them as a fault. This one prints only its warnings and errors, and not those two.
 */
@JsonTypeName("hilal")
public class HilalRequestLogFactory extends LogbackAccessRequestLogFactory {
    /** The version check's messages (logback-access {@code RequestLogImpl.versionCheck}). */
    static final List<String> VERSION_CHECK =
            List.of("Versions of logback-access-common and ", "Expected version of logback-core");

    @Override
    public RequestLog build(String name) {
        RequestLog log = super.build(name);
        if (log instanceof RequestLogImpl access) {
            access.setQuiet(true);
            access.getStatusManager().add(new Problems(System.err));
        }
        return log;
    }

    /** Prints a status of level WARN or ERROR as it is added, unless it is the version check's. */
    static final class Problems implements StatusListener {
        private final PrintStream out;

        Problems(PrintStream out) {
            this.out = out;
        }

        @Override
        public void addStatusEvent(Status status) {
            if (status.getEffectiveLevel() < Status.WARN
                    || VERSION_CHECK.stream().anyMatch(status.getMessage()::startsWith)) {
                return;
            }
            out.println(status);
        }
    }
}
