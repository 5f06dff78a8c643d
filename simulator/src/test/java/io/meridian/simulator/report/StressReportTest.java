package io.meridian.simulator.report;

import io.meridian.simulator.CandleReplay;
import io.meridian.simulator.Population;
import io.meridian.simulator.RiskParameters;
import io.meridian.simulator.Scenario;
import io.meridian.simulator.StressRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report: well-formed (the whole page and each SVG parse as XML), every plot present with the points of the
 * run's samples, text escaped (a hostile replay file name), nothing fetched from anywhere, the same bytes for the same
 * run, and a replay's prices on the candles' scale.
 */
class StressReportTest {
    /** The plots by SVG id, and the series each must draw. */
    static final Map<String, List<String>> CHARTS = new LinkedHashMap<>();

    static {
        CHARTS.put("chart-price", List.of("index (the venue's)", "mark", "last trade"));
        CHARTS.put("chart-oi", List.of("open interest"));
        CHARTS.put("chart-liquidations", List.of("liquidations started"));
        CHARTS.put("chart-liquidations-cumulative", List.of("liquidations started"));
        CHARTS.put("chart-fund", List.of("insurance fund balance"));
        CHARTS.put("chart-adl", List.of("ADL events"));
        CHARTS.put("chart-funding", List.of("predicted rate"));
        CHARTS.put("chart-risk", List.of("initial margin, tier 1", "maintenance margin, tier 1"));
        CHARTS.put("chart-volatility", List.of("realised volatility"));
    }

    static final String HOSTILE = "<script>alert(1)</script>.csv";
    private static final Pattern PAIR = Pattern.compile("-?\\d+\\.\\d,-?\\d+\\.\\d");

    @Test
    void everyPlotDrawsEverySampleAndThePageIsWellFormed() throws Exception {
        StressRunner.Result r = StressRunner.run(Scenario.CRASH_50_VACUUM, 1, 150, 3, 20, 20, 30);
        String html = StressReport.html(r);
        Document page = parse(html);
        assertEquals("html", page.getDocumentElement().getTagName());
        List<String> svgs = svgs(html);
        assertEquals(CHARTS.size(), svgs.size());
        int samples = r.samples().size();
        assertEquals(16, samples, "steps 0, 10, ..., 150");
        for (String svg : svgs) {
            Element root = parse(svg).getDocumentElement();
            String id = root.getAttribute("id");
            assertTrue(CHARTS.containsKey(id), id);
            Map<String, Element> series = series(root);
            for (String name : CHARTS.get(id)) {
                Element path = series.get(name);
                assertNotNull(path, id + " draws " + name);
                String d = path.getAttribute("d");
                assertFalse(d.isBlank(), id + " " + name);
                int points = Integer.parseInt(path.getAttribute("data-points"));
                String kind = path.getAttribute("class");
                if (kind.contains("bars")) {
                    assertEquals(samples - 1, count(d, "M"), id + ": a bar per interval between samples");
                } else {
                    assertEquals(expectedPoints(r, id, name), points, id + " " + name);
                    assertEquals(points, pairs(d), id + " " + name + ": one coordinate pair per point");
                }
            }
            assertTrue(root.getElementsByTagName("text").getLength() >= 6, id + " has tick labels and titles");
        }
        assertTrue(html.contains("id=\"static-parameters\""), "the parameters are said to be static");
        assertEquals(10, rows(page, "tiers") - 1, "the default table's ten margin tiers");
        assertEquals(r.invariants().size(), rows(page, "invariants") - 1);
        assertTrue(html.contains("No funding interval ended during this run"), "150 s cannot reach the hourly funding");
        selfContained(html);
    }

    @Test
    void aHostileFileNameIsEscapedAndAReplayShowsTheCandlesPrices(@TempDir Path dir) throws Exception {
        CandleReplay replay = CandleReplay.read(HOSTILE, new ByteArrayInputStream(candles(40, 8_000)
                .getBytes(StandardCharsets.UTF_8)), 10);
        StressRunner.Result r = StressRunner.run(replay, 1, replay.steps(), 3, 20, 20, 20, replay.backstopUsdc(),
                replay.insuranceFundUsdc(), false);
        Path file = StressReport.write(r, dir.resolve("report"));
        assertEquals(dir.resolve("report").resolve("index.html"), file);
        String html = Files.readString(file);
        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), "no script element, escaped or not");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.csv"), "the name is shown, escaped");
        Document page = parse(html);
        assertEquals(1, page.getElementsByTagName("title").getLength() - CHARTS.size(), "the page's title and each svg's");
        assertTrue(page.getElementsByTagName("title").item(0).getTextContent().contains(HOSTILE));
        // The first thing under the heading says how the candles map onto the venue's 50,000.
        Element note = byId(page, "price-scale");
        assertTrue(note.getTextContent().contains("first open, 8000 USD, is the venue's 50,000"), note.getTextContent());
        // The price axis is on the candles' scale: its tick labels lie around 8,000, not 50,000.
        Element price = parse(svgs(html).get(0)).getDocumentElement();
        assertEquals("chart-price", price.getAttribute("id"));
        List<Double> ticks = yTicks(price);
        assertTrue(ticks.size() >= 3, ticks.toString());
        assertTrue(ticks.stream().allMatch(t -> t > 5_000 && t < 10_000), ticks.toString());
        assertEquals("USD, the candles' scale", text(price, "y-title"));
        assertTrue(html.contains("Prices are on the candles&#39; scale: the venue&#39;s x 0.16 "), "the caption says how");
        assertTrue(html.contains("from 2020-03-12 00:00 UTC"), "the time axis is the candles' clock");
        for (String svg : svgs(html)) {
            parse(svg);
        }
        selfContained(html);
    }

    @Test
    void aDynamicRunPlotsTheMultipliersChangesAndListsThem() throws Exception {
        CandleReplay march = CandleReplay.builtin("btcusdt-2020-03-12-1m", 300);
        StressRunner.Result r = StressRunner.run(march, 1, march.steps(), Population.realistic(2, 5, 10, 5), 0,
                100_000, false, RiskParameters.DEFAULT.withDynamicRisk(true));
        assertTrue(r.riskScale().applied() > 0, r.riskScale().toString());
        String html = StressReport.html(r);
        Document page = parse(html);
        assertFalse(html.contains("id=\"static-parameters\""));
        assertTrue(byId(page, "dynamic-parameters").getTextContent().contains("changes were announced"));
        Element chart = parse(svgs(html).stream().filter(svg -> svg.contains("id=\"chart-risk\"")).findFirst()
                .orElseThrow()).getDocumentElement();
        Map<String, Element> series = series(chart);
        assertEquals(r.riskScale().announced(), Long.parseLong(series.get("announced (initial margin it will bring)")
                .getAttribute("data-points")));
        assertEquals(r.riskScale().applied(), Long.parseLong(series.get("applied").getAttribute("data-points")));
        assertTrue(r.samples().stream().anyMatch(s -> s.initialRatePpm() > 8_000), "the plotted rate rose");
        assertEquals(Math.min(r.riskScale().applied(), 60), rows(page, "risk-changes") - 1);
        selfContained(html);
    }

    @Test
    void theSameRunGivesTheSamePage() {
        StressRunner.Result a = StressRunner.run(Scenario.CRASH_30, 4, 100, 3, 10, 10, 10);
        StressRunner.Result b = StressRunner.run(Scenario.CRASH_30, 4, 100, 3, 10, 10, 10);
        assertEquals(StressReport.html(a), StressReport.html(b));
    }

    @Test
    void aResultWithoutSamplesOrParametersStillGivesAWellFormedPage() throws Exception {
        StressRunner.Result empty = new StressRunner.Result(Scenario.CRASH_30, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, Map.of(), 0, List.of(), List.of("conservation: <made up> & \"quoted\""));
        String html = StressReport.html(empty);
        parse(html);
        assertTrue(html.contains("conservation: &lt;made up&gt; &amp; &quot;quoted&quot;"), "a violation, escaped");
        assertTrue(html.contains("does not carry its parameters"));
        selfContained(html);
    }

    @Test
    void escapesEveryMarkupCharacterAndControlCharacters() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
                Html.escape("<a href=\"x\" title='y'>&amp;</a>"));
        assertEquals("a\uFFFDb\tc", Html.escape("a\u0001b\tc"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void ticksAreNiceNumbersAndClockTimes() {
        Ticks.Scale s = Ticks.values(3_621.3, 7_525.4, 5, false, 0);
        assertEquals(3_000, s.low(), 1e-9);
        assertEquals(8_000, s.high(), 1e-9);
        assertEquals(List.of("3,000", "4,000", "5,000", "6,000", "7,000", "8,000"),
                s.ticks().stream().map(Ticks.Tick::label).toList());
        assertEquals(List.of("-0.4", "-0.2", "0.0", "0.2"), Ticks.values(-0.31, 0.125, 3, true, 0).ticks().stream()
                .map(Ticks.Tick::label).toList());
        assertEquals(List.of("0.0", "0.5", "1.0"), Ticks.values(0, 0, 2, true, 0).ticks().stream()
                .map(Ticks.Tick::label).toList(), "a flat zero series gets an axis of 0 .. 1");
        assertEquals(List.of("0", "1"), Ticks.values(0, 0, 5, true, 1).ticks().stream().map(Ticks.Tick::label)
                .toList(), "counts: whole numbers");
        assertEquals("-0.125", Ticks.number(-0.125, 3));
        assertEquals("0.00", Ticks.number(-0.001, 2), "never -0");
        // 2020-03-12 00:00 UTC, a day of candles: a tick every 3 hours, labelled with the day as it crosses midnight.
        Ticks.Scale day = Ticks.time(86_400, 1_583_971_200L, 8);
        assertEquals("03-12 00:00", day.ticks().get(0).label());
        assertEquals("03-12 03:00", day.ticks().get(1).label());
        assertEquals(List.of("0", "30", "60", "90", "120", "150"), Ticks.time(150, -1, 8).ticks().stream()
                .map(Ticks.Tick::label).toList());
    }

    /** What a line must draw: every sample, except prices before there is one (0: no trade yet). */
    static int expectedPoints(StressRunner.Result r, String chart, String series) {
        if (!chart.equals("chart-price")) {
            return r.samples().size();
        }
        return (int) r.samples().stream().filter(s -> switch (series) {
            case "mark" -> s.markTicks() != 0;
            case "last trade" -> s.lastTradeTicks() != 0;
            default -> s.venueIndexTicks() != 0;
        }).count();
    }

    /** Nothing loaded from anywhere: no URL, no src or href, no stylesheet import, no script, no url() in the style. */
    static void selfContained(String html) {
        String lower = html.toLowerCase(Locale.ROOT);
        for (String banned : List.of("http:", "https:", "//", "src=", "href=", "@import", "url(", "<script", "<link",
                "<img", "<iframe", "<object")) {
            assertFalse(lower.contains(banned), "the page contains " + banned);
        }
    }

    static List<String> svgs(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setExpandEntityReferences(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The chart's series paths by name (an area's fill and its edge share a name: the edge, a line, is kept). */
    private static Map<String, Element> series(Element svg) {
        Map<String, Element> out = new LinkedHashMap<>();
        NodeList paths = svg.getElementsByTagName("path");
        for (int i = 0; i < paths.getLength(); i++) {
            Element p = (Element) paths.item(i);
            if (p.getAttribute("class").startsWith("series")) {
                out.put(p.getAttribute("data-series"), p);
            }
        }
        return out;
    }

    private static List<Double> yTicks(Element svg) {
        List<Double> out = new ArrayList<>();
        NodeList texts = svg.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            if (t.getAttribute("class").equals("y-tick")) {
                out.add(Double.parseDouble(t.getTextContent().replace(",", "")));
            }
        }
        return out;
    }

    private static String text(Element svg, String textClass) {
        NodeList texts = svg.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            if (((Element) texts.item(i)).getAttribute("class").equals(textClass)) {
                return texts.item(i).getTextContent();
            }
        }
        throw new AssertionError("no text " + textClass);
    }

    private static int rows(Document page, String tableClass) {
        NodeList tables = page.getElementsByTagName("table");
        for (int i = 0; i < tables.getLength(); i++) {
            Element t = (Element) tables.item(i);
            if (t.getAttribute("class").equals(tableClass)) {
                return t.getElementsByTagName("tr").getLength();
            }
        }
        throw new AssertionError("no table " + tableClass);
    }

    private static Element byId(Document page, String id) {
        NodeList all = page.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("id").equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no element " + id);
    }

    private static int count(String text, String token) {
        int n = 0;
        for (int at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
            n++;
        }
        return n;
    }

    private static int pairs(String d) {
        Matcher m = PAIR.matcher(d);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** One-minute candles from 2020-03-12 00:00 UTC opening at {@code open}: down 1% a minute, then flat. */
    static String candles(int count, double open) {
        StringBuilder csv = new StringBuilder("ts_ms,open,high,low,close,volume\n");
        double price = open;
        for (int i = 0; i < count; i++) {
            double close = i < count / 2 ? price * 0.99 : price;
            csv.append(String.format(Locale.ROOT, "%d,%.2f,%.2f,%.2f,%.2f,10.0%n", 1_583_971_200_000L + i * 60_000L,
                    price, Math.max(price, close) * 1.001, Math.min(price, close) * 0.999, close));
            price = close;
        }
        return csv.toString();
    }

    /** A run with options adds its three option plots, each with a point per sample. */
    @Test
    void aRunWithOptionsPlotsItsVolatilityPutAndWriters() throws Exception {
        StressRunner.Result r = StressRunner.run(Scenario.CRASH_50_VACUUM, 1, 60, 2, 5, 5, 5, 0, 20_000, true);
        String html = StressReport.html(r);
        parse(html);
        Map<String, List<String>> options = Map.of("chart-option-vol", List.of("shocked volatility",
                "at-the-money put's mark volatility"), "chart-option-put", List.of("at-the-money put mark"),
                "chart-option-writers", List.of("writers liquidated"));
        List<String> svgs = svgs(html);
        assertEquals(CHARTS.size() + options.size(), svgs.size());
        for (String svg : svgs) {
            Element root = parse(svg).getDocumentElement();
            List<String> names = options.get(root.getAttribute("id"));
            if (names == null) {
                continue;
            }
            Map<String, Element> series = series(root);
            for (String name : names) {
                Element path = series.get(name);
                assertNotNull(path, root.getAttribute("id") + " draws " + name);
                assertEquals(r.samples().size(), Integer.parseInt(path.getAttribute("data-points")), name);
            }
        }
        selfContained(html);
    }
}
