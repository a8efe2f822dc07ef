package io.hilal.app;

import io.dropwizard.core.setup.Bootstrap;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;
import io.hilal.service.platform.cli.DemoSending;
import io.hilal.worker.campaigns.ReplayedSends;

/**
 * The application {@code ./hilal} runs: the service with all its commands, plus {@code serve},
 * which also runs a campaign worker in the same process. It lives in its own module because it is
 * the one place that needs both apps: the service and the worker each depend on core only.
 */
public class HilalServer extends HilalApplication {
    public static void main(String[] args) throws Exception {
        new HilalServer().run(args);
    }

    /** The demo's campaign goes out through the worker's Quartz send job, on a replayed clock. */
    @Override
    protected DemoSending demoSending() {
        return ReplayedSends::replay;
    }

    @Override
    public void initialize(Bootstrap<HilalConfiguration> bootstrap) {
        super.initialize(bootstrap);
        bootstrap.addCommand(new ServeCommand(this, ServeCommand.WORKER_CONFIG));
    }
}
