package io.hilal.service.platform.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.hilal.core.reco.eval.EvaluateMain;
import java.util.ArrayList;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code evaluate}: offline evaluation of the recommenders (no database needed). */
public final class EvaluateCommand extends Command {
    public EvaluateCommand() {
        super(
                "evaluate",
                "Offline evaluation: Online Retail, MovieLens 100K, or your own TSV files");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("--dataset").choices("online-retail", "movielens");
        subparser
                .addArgument("--data-dir")
                .dest("dataDir")
                .help("folder holding online-retail/ or movielens-100k/ (default: demo-data/)");
        subparser.addArgument("--train");
        subparser.addArgument("--test");
        subparser.addArgument("--k").setDefault("20");
        subparser
                .addArgument("--task")
                .choices(EvaluateMain.TASKS)
                .help(
                        "Online Retail only. cold-start: products first sold after training;"
                                + " send-hour: each customer's best send hour; small-shop: shops"
                                + " of a few hundred customers, with and without priors;"
                                + " context: the time of day's weight in \"Popular right now\"");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        List<String> args = new ArrayList<>();
        for (String name : List.of("dataset", "dataDir", "train", "test", "k", "task")) {
            String value = namespace.getString(name);
            if (value != null) {
                args.add("--" + (name.equals("dataDir") ? "data-dir" : name));
                args.add(value);
            }
        }
        EvaluateMain.main(args.toArray(String[]::new));
    }
}
