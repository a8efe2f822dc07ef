package io.hilal.worker;

import java.util.UUID;

/**
 * The one id of a worker process: its Quartz instance id, the owner of its ledger claims and its
 * heartbeat row, the name in its health check and in its log lines. Host, process id and a random
 * suffix, so two workers on one host (or one restarted with the same pid) never share it.
 */
public final class WorkerId {
    private WorkerId() {}

    public static String create() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "worker";
        }
        if (host.length() > 60) {
            host = host.substring(0, 60);
        }
        return host
                + "-"
                + ProcessHandle.current().pid()
                + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
