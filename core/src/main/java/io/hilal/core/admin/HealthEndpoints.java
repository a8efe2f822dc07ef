package io.hilal.core.admin;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Liveness and readiness on the admin port, for an orchestrator's probes, as short JSON without
 * stack traces:
 *
 * <ul>
 *   <li>{@code /health/live}: 200 while the process can serve at all (no deadlocked threads);
 *       failing it means "restart me";
 *   <li>{@code /health/ready}: 200 when every dependency check passes (database, and on a worker
 *       the scheduler and the SMTP relay), else 503; failing it means "send me no work", and the
 *       process recovers by itself when the dependency is back.
 * </ul>
 *
 * Dropwizard's {@code /healthcheck} keeps answering with every check, as before.
 */
public final class HealthEndpoints {
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    /** Checks that say whether the process itself is alive; the rest say whether it is ready. */
    static final Set<String> LIVENESS_CHECKS = Set.of("deadlocks");

    private HealthEndpoints() {}

    /** The servlet of {@link #LIVE}. */
    public static HttpServlet live(HealthCheckRegistry checks, ObjectMapper mapper) {
        return new Probe(checks, new HealthCheckRegistry(), mapper, true);
    }

    /**
     * The servlet of {@link #READY}: the checks of {@code checks} but the liveness ones, and those
     * of {@code readinessOnly}, which {@code /healthcheck} leaves out (a relay that is down makes a
     * worker not ready to send, but is no fault of the process).
     */
    public static HttpServlet ready(
            HealthCheckRegistry checks, HealthCheckRegistry readinessOnly, ObjectMapper mapper) {
        return new Probe(checks, readinessOnly, mapper, false);
    }

    /** The answer of a probe: {@code status} and each check's verdict in one line. */
    static Map<String, Object> answer(SortedMap<String, HealthCheck.Result> results) {
        boolean healthy = results.values().stream().allMatch(HealthCheck.Result::isHealthy);
        Map<String, Object> checks = new LinkedHashMap<>();
        results.forEach(
                (name, result) -> {
                    Map<String, Object> check = new LinkedHashMap<>();
                    check.put("healthy", result.isHealthy());
                    if (result.getMessage() != null) {
                        check.put("message", result.getMessage());
                    } else if (result.getError() != null) {
                        // A check that threw: its class, never its stack.
                        check.put("message", result.getError().getClass().getSimpleName());
                    }
                    checks.put(name, check);
                });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", healthy ? "up" : "down");
        answer.put("checks", checks);
        return answer;
    }

    private static final class Probe extends HttpServlet {
        @Serial private static final long serialVersionUID = 1L;

        private final transient HealthCheckRegistry checks;
        private final transient HealthCheckRegistry readinessOnly;
        private final transient ObjectMapper mapper;
        private final boolean liveness;

        Probe(
                HealthCheckRegistry checks,
                HealthCheckRegistry readinessOnly,
                ObjectMapper mapper,
                boolean liveness) {
            this.checks = checks;
            this.readinessOnly = readinessOnly;
            this.mapper = mapper;
            this.liveness = liveness;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            SortedMap<String, HealthCheck.Result> results =
                    new java.util.TreeMap<>(
                            checks.runHealthChecks(
                                    (name, check) -> LIVENESS_CHECKS.contains(name) == liveness));
            results.putAll(readinessOnly.runHealthChecks());
            Map<String, Object> answer = answer(results);
            response.setStatus("up".equals(answer.get("status")) ? 200 : 503);
            response.setContentType("application/json");
            response.setHeader("Cache-Control", "no-store");
            mapper.writeValue(response.getOutputStream(), answer);
        }
    }
}
