package io.hilal.app;

import io.dropwizard.core.setup.Bootstrap;
import io.hilal.service.HilalApplication;
import io.hilal.service.HilalConfiguration;

/**
 * The application {@code ./hilal} runs: the service with all its commands, plus {@code serve},
 * which also runs a campaign worker in the same process. It lives in its own module because it is
 * the one place that needs both apps: the service and the worker each depend on core only.
 */
public class HilalServer extends HilalApplication {
    public static void main(String[] args) throws Exception {
        new HilalServer().run(args);
    }

    @Override
    public void initialize(Bootstrap<HilalConfiguration> bootstrap) {
        super.initialize(bootstrap);
        bootstrap.addCommand(new ServeCommand(this, ServeCommand.WORKER_CONFIG));
    }
}
