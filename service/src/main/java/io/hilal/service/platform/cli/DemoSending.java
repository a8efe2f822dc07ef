package io.hilal.service.platform.cli;

import io.hilal.core.campaigns.sending.CampaignSender;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * How the demo's campaign goes out: through a campaign worker's Quartz send job, as in production,
 * on the demo's replayed clock. The worker lives in another module, so {@code ./hilal}'s
 * application supplies it.
 */
@FunctionalInterface
public interface DemoSending {
    /**
     * Runs {@code sender} from the worker's send job at each of {@code at}, in order, moving the
     * sender's clock there with {@code setClock} before each firing.
     */
    void replay(
            DataSource dataSource,
            CampaignSender sender,
            List<Instant> at,
            Consumer<Instant> setClock)
            throws Exception;
}
