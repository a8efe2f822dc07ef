package io.hilal.core.pods;

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
}
