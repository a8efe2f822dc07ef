package io.hilal.service.dashboard.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ChartsTest {
    /** Parses a chart as XML: a chart the browser shows must at least be well-formed. */
    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> elements(Document document, String name) {
        NodeList nodes = document.getElementsByTagName(name);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    static void assertAccessible(Document document, String title) {
        Element root = document.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(root.getAttribute("role")).isEqualTo("img");
        assertThat(root.getAttribute("aria-label")).isEqualTo(title);
        assertThat(elements(document, "title").get(0).getTextContent()).isEqualTo(title);
        assertThat(elements(document, "desc")).hasSize(1);
    }

    @Nested
    class EventsPerDay {
        @Test
        void drawsOneBarPerDayIncludingEmptyDaysWithTheirNumbers() throws Exception {
            LocalDate first = LocalDate.of(2011, 12, 1);
            List<EventsPerDayChart.Day> days =
                    EventsPerDayChart.everyDay(
                            first,
                            first.plusDays(6),
                            Map.of(
                                    first,
                                    new EventsPerDayChart.Day(first, 1200, 40),
                                    first.plusDays(3),
                                    new EventsPerDayChart.Day(first.plusDays(3), 300, 9)));

            Document svg = parse(EventsPerDayChart.render("events", days));

            assertAccessible(svg, "Events per day");
            List<Element> bars = elements(svg, "rect");
            assertThat(bars).hasSize(7);
            assertThat(bars.get(0).getAttribute("data-events")).isEqualTo("1200");
            assertThat(bars.get(1).getAttribute("data-events")).isEqualTo("0");
            assertThat(bars.get(3).getAttribute("data-orders")).isEqualTo("9");
            assertThat(bars.get(0).getTextContent())
                    .isEqualTo("Thu 1 Dec 2011: 1,200 events, 40 orders");
            // The tallest bar is the busiest day, and heights are proportional.
            double tall = Double.parseDouble(bars.get(0).getAttribute("height"));
            double short3 = Double.parseDouble(bars.get(3).getAttribute("height"));
            assertThat(short3 / tall).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.01));
            assertThat(elements(svg, "desc").get(0).getTextContent())
                    .isEqualTo(
                            "1,500 events from Thu 1 Dec 2011 to Wed 7 Dec 2011; the busiest day had 1,200.");
        }

        @Test
        void labelsTheValueAxisWithRoundNumbers() throws Exception {
            LocalDate day = LocalDate.of(2024, 4, 10);
            Document svg =
                    parse(
                            EventsPerDayChart.render(
                                    "events", List.of(new EventsPerDayChart.Day(day, 437, 3))));

            List<String> ticks =
                    elements(svg, "text").stream()
                            .filter(text -> text.getAttribute("class").equals("tick"))
                            .map(Element::getTextContent)
                            .toList();
            assertThat(ticks).containsSubsequence("0", "100", "200", "300", "400", "500");
            assertThat(ticks).contains("10 Apr");
        }

        @Test
        void countsGetWholeNumberTicksOnly() throws Exception {
            LocalDate day = LocalDate.of(2024, 4, 10);
            Document svg =
                    parse(
                            EventsPerDayChart.render(
                                    "events", List.of(new EventsPerDayChart.Day(day, 12, 3))));

            List<String> ticks =
                    elements(svg, "text").stream()
                            .filter(text -> text.getAttribute("class").equals("tick"))
                            .map(Element::getTextContent)
                            .filter(text -> !text.contains("Apr"))
                            .toList();
            assertThat(ticks).containsExactly("0", "5", "10", "15");
            assertThat(
                            EventsPerDayChart.render(
                                    "events", List.of(new EventsPerDayChart.Day(day, 2, 0))))
                    .doesNotContain(">0.5<");
        }

        @Test
        void aQuietPeriodStillDrawsAnAxis() throws Exception {
            LocalDate day = LocalDate.of(2024, 4, 10);
            Document svg =
                    parse(
                            EventsPerDayChart.render(
                                    "events",
                                    EventsPerDayChart.everyDay(day, day.plusDays(29), Map.of())));

            assertThat(elements(svg, "rect")).hasSize(30);
            assertThat(elements(svg, "line")).isNotEmpty();
        }
    }

    @Nested
    class Forest {
        @Test
        void placesEachIntervalAroundTheZeroLine() throws Exception {
            Document svg =
                    parse(
                            ForestPlot.render(
                                    "forest",
                                    "Lift by campaign",
                                    List.of(
                                            new ForestPlot.Row(
                                                    "Eid restock",
                                                    3.1,
                                                    1.2,
                                                    5.0,
                                                    "96% interval",
                                                    "n = 900 / 100"),
                                            new ForestPlot.Row(
                                                    "Ramadan <dates> & more",
                                                    -0.4,
                                                    -2.5,
                                                    1.7,
                                                    "99% always-valid interval",
                                                    null))));

            assertAccessible(svg, "Lift by campaign");
            // Each interval is named as its report computed it, never as a fixed 95%.
            assertThat(elements(svg, "desc").get(0).getTextContent())
                    .contains("Eid restock: +3.1 pp (96% interval +1.2 pp to +5 pp)")
                    .contains("(99% always-valid interval \u22122.5 pp to +1.7 pp)")
                    .doesNotContain("95%");
            List<Element> estimates =
                    elements(svg, "g").stream()
                            .filter(group -> group.getAttribute("class").startsWith("estimate"))
                            .toList();
            assertThat(estimates).hasSize(2);
            assertThat(estimates.get(1).getElementsByTagName("title").item(0).getTextContent())
                    .contains("99% always-valid interval");
            assertThat(estimates.get(0).getAttribute("class")).isEqualTo("estimate up");
            assertThat(estimates.get(0).getAttribute("data-estimate")).isEqualTo("3.1");
            assertThat(estimates.get(1).getAttribute("class")).isEqualTo("estimate");
            Element zero =
                    elements(svg, "line").stream()
                            .filter(line -> line.getAttribute("class").equals("zero"))
                            .findFirst()
                            .orElseThrow();
            double zeroX = Double.parseDouble(zero.getAttribute("x1"));
            // The first interval lies right of zero; the second straddles it.
            List<Element> intervals =
                    elements(svg, "line").stream()
                            .filter(line -> line.getAttribute("class").equals("interval"))
                            .toList();
            assertThat(Double.parseDouble(intervals.get(0).getAttribute("x1")))
                    .isGreaterThan(zeroX);
            assertThat(Double.parseDouble(intervals.get(3).getAttribute("x1"))).isLessThan(zeroX);
            assertThat(Double.parseDouble(intervals.get(3).getAttribute("x2")))
                    .isGreaterThan(zeroX);
            // Labels are text, not markup.
            assertThat(svg.getDocumentElement().getTextContent())
                    .contains("Ramadan <dates> & more")
                    .contains("+3.1 pp [+1.2, +5]")
                    .contains("\u22120.4 pp [\u22122.5, +1.7]");
        }

        @Test
        void aSignificantDropIsMarkedDown() throws Exception {
            Document svg =
                    parse(
                            ForestPlot.render(
                                    "forest",
                                    "Lift",
                                    List.of(
                                            new ForestPlot.Row(
                                                    "Spam", -4, -6, -2, "96% interval", null))));

            assertThat(
                            elements(svg, "g").stream()
                                    .filter(g -> g.getAttribute("class").startsWith("estimate"))
                                    .findFirst()
                                    .orElseThrow()
                                    .getAttribute("class"))
                    .isEqualTo("estimate down");
        }
    }

    @Nested
    class Curves {
        @Test
        void drawsABandAndALineForEachGroupEndingAtTheFinalRates() throws Exception {
            List<RepeatPurchaseCurves.Point> treated =
                    List.of(
                            new RepeatPurchaseCurves.Point(0, 0, 0, 0),
                            new RepeatPurchaseCurves.Point(1, 0.2, 0.1, 0.3),
                            new RepeatPurchaseCurves.Point(2, 0.5, 0.35, 0.65));
            List<RepeatPurchaseCurves.Point> holdout =
                    List.of(
                            new RepeatPurchaseCurves.Point(0, 0, 0, 0),
                            new RepeatPurchaseCurves.Point(1, 0.1, 0.01, 0.19),
                            new RepeatPurchaseCurves.Point(2, 0.2, 0.08, 0.32));

            Document svg = parse(RepeatPurchaseCurves.render("curves", treated, holdout));

            assertAccessible(svg, "Cumulative repeat-purchase rate, treated vs held out");
            assertThat(elements(svg, "desc").get(0).getTextContent())
                    .isEqualTo(
                            "After 2 days, 50.0% of treated customers and 20.0% of held-out customers had bought again.");
            List<Element> series =
                    elements(svg, "g").stream()
                            .filter(g -> g.hasAttribute("data-final-rate"))
                            .toList();
            assertThat(series)
                    .extracting(g -> g.getAttribute("class"))
                    .containsExactly("series holdout", "series treated");
            assertThat(series)
                    .extracting(g -> g.getAttribute("data-final-rate"))
                    .containsExactly("20", "50");
            // A band is the upper edge out and the lower edge back: twice the points.
            String band = children(series.get(1), "polygon").get(0).getAttribute("points");
            assertThat(band.split(" ")).hasSize(6);
            String line = children(series.get(1), "polyline").get(0).getAttribute("points");
            assertThat(line.split(" ")).hasSize(3);
        }

        private List<Element> children(Element parent, String name) {
            NodeList nodes = parent.getElementsByTagName(name);
            List<Element> found = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                found.add((Element) nodes.item(i));
            }
            return found;
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1.25, +1.3", "-0.04, 0", "-2.5, \u22122.5", "10, +10"})
    void writesSignedNumbersWithOneDecimal(double value, String expected) {
        assertThat(Format.signed(value)).isEqualTo(expected);
    }

    @Test
    void writesNumbersTheSameWayInEveryLocale() {
        java.util.Locale original = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(Svg.num(12.345)).isEqualTo("12.35");
            assertThat(Format.percent(0.1234)).isEqualTo("12.3%");
        } finally {
            java.util.Locale.setDefault(original);
        }
    }
}
