package io.hilal.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the repository's Markdown (README, docs/, the reports beside them) points
 * at a file that exists, and every {@code #anchor} at a heading of its target, as GitHub renders
 * it: moving a section into docs/ must not leave a dead link behind.
 */
class DocumentationLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> SKIPPED = Set.of("target", "var", "node_modules");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkAndAnchorInTheMarkdownResolves() throws IOException {
        List<Path> documents = markdown();
        assertThat(documents)
                .as("the README and the docs it links to")
                .contains(ROOT.resolve("README.md"), ROOT.resolve("docs/lift-statistics.md"));
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path document : documents) {
            for (String target : links(Files.readString(document))) {
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // https:, mailto: and the like
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved =
                        file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(document) + ": " + target + " (no such file)");
                    continue;
                }
                if (anchor != null && !anchor.isEmpty()) {
                    Set<String> known =
                            anchors.computeIfAbsent(resolved, DocumentationLinksTest::anchorsOf);
                    if (!known.contains(anchor)) {
                        broken.add(
                                ROOT.relativize(document) + ": " + target + " (no such heading)");
                    }
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void headingsBecomeAnchorsAsGitHubWritesThem() {
        assertThat(slug("Picked for you: ALS or EASE")).isEqualTo("picked-for-you-als-or-ease");
        assertThat(slug("Looks, peeking and late data")).isEqualTo("looks-peeking-and-late-data");
        assertThat(slug("`campaign-worker` (Quartz)")).isEqualTo("campaign-worker-quartz");
        assertThat(anchorsOf("# A\n```\n# not a heading\n```\n## A\n"))
                .containsExactlyInAnyOrder("a", "a-1");
    }

    private static List<Path> markdown() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT, 3)) {
            return files.filter(path -> path.toString().endsWith(".md"))
                    .filter(path -> ROOT.relativize(path).getNameCount() == 1 || !skipped(path))
                    .sorted()
                    .toList();
        }
    }

    private static boolean skipped(Path path) {
        for (Path part : ROOT.relativize(path)) {
            if (SKIPPED.contains(part.toString()) || part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The link targets of a document, outside code blocks and inline code. */
    private static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        for (String line : prose(markdown)) {
            Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (link.find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    private static Set<String> anchorsOf(Path document) {
        try {
            return anchorsOf(Files.readString(document));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The anchors GitHub gives a document's headings: a repeated one gets -1, -2, … */
    private static Set<String> anchorsOf(String markdown) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(markdown)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
        }
        return anchors;
    }

    /** Lowercase; punctuation other than hyphens and underscores dropped; spaces to hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
                .trim()
                .replace(' ', '-');
    }

    /** The lines of a document outside fenced code blocks. */
    private static List<String> prose(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                lines.add(line);
            }
        }
        return lines;
    }
}
