package io.hilal.core.pods;

import io.hilal.core.audit.OperatorLog;
import io.hilal.core.error.ConflictException;
import io.hilal.core.error.NotFoundException;
import io.hilal.core.error.ValidationException;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator's view of the pods: list them with their load, add one, close it, move tenants. */
public final class PodService {
    private static final Logger LOG = LoggerFactory.getLogger(PodService.class);
    private static final Pattern POD_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    private final PodRouter router;
    private final Jdbi home;
    private final TenantPlacer placer;
    private final TenantMover mover;
    private final Clock clock;

    public PodService(
            PodRouter router, Jdbi home, TenantPlacer placer, TenantMover mover, Clock clock) {
        this.router = router;
        this.home = home;
        this.placer = placer;
        this.mover = mover;
        this.clock = clock;
    }

    /**
     * A pod as the operator sees it: never its password, only the name of the variable it is read
     * from ({@code passwordEnv}), if any.
     */
    public record PodView(
            String podId,
            String jdbcUrl,
            String passwordEnv,
            boolean homeCredentials,
            String status,
            long tenants,
            long recentEvents) {}

    public List<PodView> list() {
        List<PodLoad> loads = home.withHandle(placer::loads);
        return router.pods().stream()
                .map(
                        pod -> {
                            PodLoad load =
                                    loads.stream()
                                            .filter(l -> l.podId().equals(pod.podId()))
                                            .findFirst()
                                            .orElse(new PodLoad(pod.podId(), pod.status(), 0, 0));
                            return view(pod, load);
                        })
                .toList();
    }

    /**
     * Adds a pod: its database is reached and migrated first, so a pod that cannot work is refused
     * (422, nothing recorded) rather than given tenants. The password is best named by the
     * environment variable that holds it ({@code passwordEnv}, read by each process when it
     * connects); an inline {@code password} is stored in the home database's directory. A pod with
     * neither is refused (a password copied from elsewhere is not what an operator who forgot it
     * expects), unless the operator asks for the home database's credentials ({@code
     * homeCredentials}: a pod on the home server's account).
     */
    public PodView add(
            String podId,
            String jdbcUrl,
            String user,
            String password,
            String passwordEnv,
            boolean homeCredentials) {
        if (podId == null || !POD_ID.matcher(podId).matches()) {
            throw new ValidationException(
                    "podId",
                    "must be 1 to 40 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:mysql://")) {
            throw new ValidationException("jdbcUrl", "must be a jdbc:mysql:// URL naming a schema");
        }
        if (passwordEnv != null) {
            if (password != null) {
                throw new ValidationException(
                        "passwordEnv", "give the password or the variable holding it, not both");
            }
            if (!PodPassword.VARIABLE.matcher(passwordEnv).matches()) {
                throw new ValidationException(
                        "passwordEnv",
                        "must be an environment variable named HILAL_POD_<NAME>, of A-Z, 0-9 and"
                                + " '_'");
            }
            if (System.getenv(passwordEnv) == null) {
                throw new ValidationException(
                        "passwordEnv",
                        passwordEnv
                                + " is not set in this service's environment; set it in every"
                                + " service and worker, restart them, then add the pod");
            }
        }
        if (homeCredentials && (password != null || passwordEnv != null)) {
            throw new ValidationException(
                    "homeCredentials",
                    "give a password (or passwordEnv) or ask for the home database's credentials,"
                            + " not both");
        }
        if (!homeCredentials && password == null && passwordEnv == null) {
            throw new ValidationException(
                    "password",
                    "the pod's database password is missing: name the environment variable"
                            + " holding it (passwordEnv), give it (password), or set"
                            + " homeCredentials to true to connect with the home database's");
        }
        if (router.pods().stream().anyMatch(pod -> pod.podId().equals(podId))) {
            throw new ConflictException("pod_exists", "There is already a pod '" + podId + "'");
        }
        Pod pod =
                new Pod(
                        podId,
                        jdbcUrl,
                        user == null || user.isEmpty() ? null : user,
                        password,
                        passwordEnv,
                        homeCredentials,
                        Pod.Status.ACTIVE);
        String identity;
        try {
            router.open(pod);
            identity = PodRouter.identity(router.podPool(podId));
        } catch (RuntimeException e) {
            router.forget(podId);
            throw new ValidationException(
                    "jdbcUrl", "the database cannot be reached or migrated: " + rootMessage(e));
        }
        for (Pod existing : router.pods()) {
            if (PodRouter.identity(router.podDataSource(existing.podId(), PodRouter.Family.API))
                    .equals(identity)) {
                router.forget(podId);
                throw new ValidationException(
                        "jdbcUrl", "this is the database of pod '" + existing.podId() + "'");
            }
        }
        home.useExtension(
                PodDirectoryDao.class,
                dao ->
                        dao.insertPod(
                                podId,
                                jdbcUrl,
                                pod.user(),
                                password,
                                passwordEnv,
                                homeCredentials,
                                clock.instant()));
        if (password != null) {
            LOG.warn(
                    "Pod {}'s database password is stored in the home database's pod directory;"
                            + " prefer passwordEnv, the name of an environment variable holding it",
                    podId);
        }
        router.refreshPods();
        OperatorLog.action("pod.added", "-", "pod " + podId);
        return view(pod, new PodLoad(podId, Pod.Status.ACTIVE, 0, 0));
    }

    /** Opens or closes a pod to new tenants; its tenants stay. */
    public PodView setStatus(String podId, String status) {
        Pod.Status parsed;
        try {
            parsed = Pod.Status.valueOf(status == null ? "" : status);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("status", "must be ACTIVE or CLOSED");
        }
        if (home.withExtension(PodDirectoryDao.class, dao -> dao.setPodStatus(podId, parsed))
                == 0) {
            throw new NotFoundException("pod", podId);
        }
        router.refreshPods();
        OperatorLog.action("pod.status", "-", "pod " + podId + " " + parsed);
        return list().stream().filter(view -> view.podId().equals(podId)).findFirst().orElseThrow();
    }

    public Placement placement(String tenantId) {
        return home.withExtension(PodDirectoryDao.class, dao -> dao.placement(tenantId))
                .orElseThrow(() -> new NotFoundException("tenant", tenantId));
    }

    public TenantMover.MoveReport move(String tenantId, String targetPod) {
        if (tenantId == null || tenantId.isEmpty()) {
            throw new ValidationException("tenantId", "is required");
        }
        if (targetPod == null || targetPod.isEmpty()) {
            throw new ValidationException("targetPod", "is required");
        }
        TenantMover.MoveReport report = mover.move(tenantId, targetPod);
        OperatorLog.action(
                "tenant.moved",
                tenantId,
                "from "
                        + report.fromPod()
                        + " to "
                        + report.toPod()
                        + ", "
                        + report.copiedRows()
                        + " rows copied, frozen "
                        + report.frozenMillis()
                        + " ms");
        return report;
    }

    private static PodView view(Pod pod, PodLoad load) {
        return new PodView(
                pod.podId(),
                pod.isHome() ? null : withoutSecrets(pod.jdbcUrl()),
                pod.passwordEnv(),
                !pod.isHome() && pod.homeCredentials(),
                pod.status().name(),
                load.tenants(),
                load.recentEvents());
    }

    /** A URL's query may carry a password; the operator sees the server and schema only. */
    private static String withoutSecrets(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
