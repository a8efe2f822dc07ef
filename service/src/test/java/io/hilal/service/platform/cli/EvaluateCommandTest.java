package io.hilal.service.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sourceforge.argparse4j.ArgumentParsers;
import net.sourceforge.argparse4j.inf.ArgumentParser;
import net.sourceforge.argparse4j.inf.ArgumentParserException;
import net.sourceforge.argparse4j.inf.Namespace;
import org.junit.jupiter.api.Test;

/**
 * {@code ./hilal evaluate}'s command line, against the commands EVALUATION.md tells users to type.
 */
class EvaluateCommandTest {
    private static final Path EVALUATION =
            Path.of("..", "EVALUATION.md").toAbsolutePath().normalize();

    private static Namespace parse(String... args) throws ArgumentParserException {
        ArgumentParser parser = ArgumentParsers.newFor("hilal").build();
        new EvaluateCommand().configure(parser.addSubparsers().addParser("evaluate"));
        List<String> line = new ArrayList<>(List.of("evaluate"));
        line.addAll(Arrays.asList(args));
        return parser.parseArgs(line.toArray(String[]::new));
    }

    @Test
    void everyEvaluateCommandInEvaluationMdParses() throws IOException, ArgumentParserException {
        Matcher command =
                Pattern.compile("`\\./hilal evaluate ([^`]+)`")
                        .matcher(Files.readString(EVALUATION));
        List<String> tasks = new ArrayList<>();
        while (command.find()) {
            String[] args = command.group(1).trim().split("\\s+");
            Namespace parsed = parse(args);
            if (parsed.getString("task") != null) {
                tasks.add(parsed.getString("task"));
            }
        }
        // Each task EVALUATION.md reports has its command there, and the command takes it.
        assertThat(tasks).contains("cold-start", "send-hour", "small-shop", "context");
    }

    @Test
    void anUnknownTaskIsRefused() {
        assertThatThrownBy(() -> parse("--dataset", "online-retail", "--task", "everything"))
                .isInstanceOf(ArgumentParserException.class)
                .hasMessageContaining("everything");
    }
}
