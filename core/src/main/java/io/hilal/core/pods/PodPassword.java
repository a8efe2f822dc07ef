package io.hilal.core.pods;

import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The password a process connects to a pod with: read from the environment variable the directory
 * names, at connect time, so that a rotated secret is picked up by the next pool and the home
 * database never holds it. A variable that is not set is an error naming the pod and the variable,
 * never a silent fallback to another password.
 */
public final class PodPassword {
    /**
     * The names an operator may give. Only variables meant for pods: the operator API must not be a
     * way to have this process send another of its secrets (the link secret, the home database's
     * password) to a server named by a URL.
     */
    static final Pattern VARIABLE = Pattern.compile("HILAL_POD_[A-Z0-9_]{1,180}");

    private PodPassword() {}

    /**
     * The pod's password: its variable's value, else its inline password, else {@code homePassword}
     * when the operator asked for the home database's credentials (a pod on the home server's
     * account).
     *
     * @throws MissingPasswordException when the pod names a variable this process does not have, or
     *     has no password and did not ask for the home database's
     */
    public static String resolve(Pod pod, String homePassword, UnaryOperator<String> environment) {
        if (pod.passwordEnv() != null) {
            String value = environment.apply(pod.passwordEnv());
            if (value == null) {
                throw new MissingPasswordException(pod.podId(), pod.passwordEnv());
            }
            return value;
        }
        if (pod.password() != null) {
            return pod.password();
        }
        if (pod.homeCredentials()) {
            return homePassword;
        }
        throw new MissingPasswordException(pod.podId());
    }

    /** A pod's password variable is not set in this process. */
    public static final class MissingPasswordException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MissingPasswordException(String podId, String variable) {
            super(
                    "Pod '"
                            + podId
                            + "' takes its database password from the environment variable "
                            + variable
                            + ", which is not set in this process: set it (the same in every"
                            + " service and worker) and restart");
        }

        MissingPasswordException(String podId) {
            super(
                    "Pod '"
                            + podId
                            + "' has no database password, no password variable, and does not"
                            + " ask for the home database's credentials (homeCredentials)");
        }
    }
}
