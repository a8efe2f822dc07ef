package io.hilal.bench;

import io.hilal.core.lift.OnlineRetailDays;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench/run LiftSimulation <seed> [online-retail.csv.gz]}: every lift simulation of LIFT.md
 * with the given seed — A/A campaigns on Online Retail looked at daily over 30, 60 and 90 days with
 * 10% and 50% holdout (5,000 campaigns per setting), and +30% on buyers at buy rates 1.5% to 60%
 * (5,000 campaigns of 40,000 customers per rate) — ending with one summary line. The data set
 * defaults to the bundled {@code demo-data/online-retail.csv.gz}. Not a speed benchmark: its
 * figures are error rates, each beside its naive baseline (the ordinary 95% interval at every
 * look).
 */
public final class LiftSimulation {
    static final int CAMPAIGNS = 5_000;
    static final int CUSTOMERS = 40_000;

    private LiftSimulation() {}

    public static void main(String[] args) {
        ExitOnFailure.install();
        if (args.length < 1) {
            System.err.println("usage: bench/run LiftSimulation <seed> [online-retail.csv.gz]");
            System.exit(2);
        }
        long seed = Long.parseLong(args[0]);
        Path data = Path.of(args.length > 1 ? args[1] : "demo-data/online-retail.csv.gz");
        if (Files.isDirectory(data)) {
            data = data.resolve("online-retail.csv.gz");
        }
        long started = System.nanoTime();
        OnlineRetailDays days = OnlineRetailDays.load(data);
        System.out.printf(
                "Online Retail: %d customers who bought before %s (%s)%n",
                days.customers(), OnlineRetailDays.SEND, data);
        io.hilal.core.lift.LiftSimulation.Summary summary =
                io.hilal.core.lift.LiftSimulation.run(
                        days, seed, CAMPAIGNS, CAMPAIGNS, CUSTOMERS, System.out);
        System.out.printf(
                "Ran in %.1f minutes on %d processors%n",
                (System.nanoTime() - started) / 6e10, Runtime.getRuntime().availableProcessors());
        System.out.println(summary.line());
    }
}
