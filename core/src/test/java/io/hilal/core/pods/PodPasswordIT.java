package io.hilal.core.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hilal.core.db.DatabaseFactory;
import io.hilal.core.db.HilalJdbi;
import io.hilal.core.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** A process whose pod's password variable is missing says so at start, and does not start. */
class PodPasswordIT {
    @Test
    void aProcessMissingAPodsPasswordVariableRefusesToStartNamingIt() {
        String homeUrl = TestDatabase.newSchema();
        String podSchema = "hilal_pod_pw_" + ProcessHandle.current().pid();
        TestDatabase.server().createSchema(podSchema);
        Jdbi home = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(homeUrl)));
        home.useExtension(
                PodDirectoryDao.class,
                dao ->
                        dao.insertPod(
                                "eu2",
                                TestDatabase.server().jdbcUrl(podSchema),
                                TestDatabase.user(),
                                null,
                                "HILAL_POD_NOT_SET_IN_THIS_PROCESS",
                                false,
                                java.time.Instant.now()));
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(homeUrl);
        factory.setUser(TestDatabase.user());
        factory.setPassword(TestDatabase.password());

        assertThatThrownBy(() -> factory.open("pod-password-test"))
                .isInstanceOf(PodPassword.MissingPasswordException.class)
                .hasMessageContaining("Pod 'eu2'")
                .hasMessageContaining("HILAL_POD_NOT_SET_IN_THIS_PROCESS");
    }

    /**
     * A pod in the directory with no password of its own that did not ask for the home database's
     * (written there by hand, say) stops the process at start rather than connecting with another
     * account's password; asking for it ({@code home_credentials}) works.
     */
    @Test
    void aPodWithoutAPasswordUsesTheHomeCredentialsOnlyWhenItAsksForThem() {
        String homeUrl = TestDatabase.newSchema();
        String podSchema = "hilal_pod_home_pw_" + ProcessHandle.current().pid();
        TestDatabase.server().createSchema(podSchema);
        Jdbi home = HilalJdbi.configure(Jdbi.create(TestDatabase.dataSource(homeUrl)));
        home.useExtension(
                PodDirectoryDao.class,
                dao ->
                        dao.insertPod(
                                "eu3",
                                TestDatabase.server().jdbcUrl(podSchema),
                                TestDatabase.user(),
                                null,
                                null,
                                false,
                                java.time.Instant.now()));
        DatabaseFactory factory = new DatabaseFactory();
        factory.setUrl(homeUrl);
        factory.setUser(TestDatabase.user());
        factory.setPassword(TestDatabase.password());

        assertThatThrownBy(() -> factory.open("pod-no-password-test"))
                .isInstanceOf(PodPassword.MissingPasswordException.class)
                .hasMessageContaining("Pod 'eu3' has no database password")
                .hasMessageContaining("homeCredentials");

        home.useHandle(
                handle ->
                        handle.execute(
                                "UPDATE pods SET home_credentials = TRUE WHERE pod_id = 'eu3'"));
        try (io.hilal.core.db.Database opened = factory.open("pod-home-credentials-test")) {
            assertThat(opened.pods().podIds()).containsExactly("home", "eu3");
            assertThat(PodRouter.identity(opened.pods().podDataSource("eu3", PodRouter.Family.API)))
                    .endsWith("/" + podSchema);
        }
    }
}
