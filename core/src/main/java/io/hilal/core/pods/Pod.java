package io.hilal.core.pods;

/**
 * One database of tenant data. The home pod is the database the process is configured with (no URL
 * of its own here); the others are named by a JDBC URL and an account, kept in the home database's
 * directory. The account's password is either the name of an environment variable each process
 * reads when it connects ({@code passwordEnv}, the directory holds no secret) or, as pods were
 * first added, stored inline ({@code password}); neither: the home database's, only when the
 * operator asked for it ({@code homeCredentials}: a pod on the home server's account). A {@code
 * CLOSED} pod keeps its tenants but is given no new ones.
 */
public record Pod(
        String podId,
        String jdbcUrl,
        String user,
        String password,
        String passwordEnv,
        boolean homeCredentials,
        Status status) {
    public static final String HOME_ID = "home";

    public enum Status {
        ACTIVE,
        CLOSED
    }

    public boolean isHome() {
        return HOME_ID.equals(podId);
    }

    @Override
    public String toString() {
        // Never the password, in a log line or an error.
        return "Pod[" + podId + ", " + (isHome() ? "home database" : jdbcUrl) + ", " + status + "]";
    }
}
