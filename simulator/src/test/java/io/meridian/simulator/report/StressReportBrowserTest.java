package io.meridian.simulator.report;

import io.meridian.simulator.Scenario;
import io.meridian.simulator.StressRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The report page opens in Chromium (issue 19, "done when"): headless Chromium, driven by ChromeDriver, loads the
 * written file from disk (no server, no network) and, in the live DOM, every plot's SVG is laid out and every series
 * path has a real bounding box ({@code getBBox()}: width > 0, and height > 0 wherever its data vary). A full-page
 * screenshot and one per plot are left in {@code target/stress-report/} to look at.
 *
 * <p>Needs {@code chromium} and {@code chromedriver} on the PATH (Debian: {@code apt-get install chromium
 * chromium-driver}; {@code .ci/run} installs them). Skipped, saying so, only where there is no Chromium at all.
 */
class StressReportBrowserTest {
    /** The data each plot draws, to tell a flat series (height 0 is right) from one that must rise or fall. */
    private static final Map<String, ToLongFunction<StressRunner.Sample>> DATA = Map.of(
            "chart-risk", StressRunner.Sample::initialRatePpm,
            "chart-volatility", StressRunner.Sample::volatilityPpm,
            "chart-price", StressRunner.Sample::markTicks,
            "chart-oi", StressRunner.Sample::openInterest,
            "chart-liquidations", StressRunner.Sample::liquidations,
            "chart-liquidations-cumulative", StressRunner.Sample::liquidations,
            "chart-fund", StressRunner.Sample::insuranceFund,
            "chart-adl", StressRunner.Sample::adlEvents,
            "chart-funding", StressRunner.Sample::predictedFundingRate);

    @Test
    void theReportRendersInHeadlessChromiumWithEveryPlotDrawn(@TempDir Path dir) throws IOException {
        Optional<Path> chromium = onPath("chromium", "chromium-browser");
        assumeTrue(chromium.isPresent(), "no Chromium on the PATH: skipping the browser test of the stress report "
                + "(apt-get install chromium chromium-driver; .ci/run installs them)");
        Path driverBinary = onPath("chromedriver").orElseThrow(() -> new AssertionError("Chromium is at " + chromium.get()
                + " but chromedriver is not on the PATH: apt-get install chromium-driver"));
        StressRunner.Result result = StressRunner.run(Scenario.CRASH_50_VACUUM, 1, 150, 3, 20, 20, 30);
        Path page = StressReport.write(result, dir.resolve("report"));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1000,900",
                "--user-data-dir=" + Files.createDirectory(dir.resolve("profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary.toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
            browser.get(page.toUri().toString());
            assertTrue(browser.getTitle().startsWith("Meridian stress report: crash-50-vacuum (seed 1)"),
                    browser.getTitle());
            JavascriptExecutor js = browser;
            for (String chart : StressReportTest.CHARTS.keySet()) {
                List<Long> values = result.samples().stream().mapToLong(DATA.get(chart)).boxed().toList();
                boolean varies = values.stream().distinct().count() > 1;
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> paths = (List<Map<String, Object>>) js.executeScript(
                        "const svg = document.getElementById(arguments[0]);"
                                + "const box = svg.getBoundingClientRect();"
                                + "return Array.from(svg.querySelectorAll('path.series')).map(p => {"
                                + "  const b = p.getBBox();"
                                + "  return {series: p.dataset.series, width: b.width, height: b.height,"
                                + "          svgWidth: box.width, svgHeight: box.height}; });", chart);
                assertTrue(paths.size() >= StressReportTest.CHARTS.get(chart).size(), chart + ": " + paths);
                for (Map<String, Object> p : paths) {
                    assertTrue(number(p, "svgWidth") > 500 && number(p, "svgHeight") > 150, chart + " laid out: " + p);
                    assertTrue(number(p, "width") > 100, chart + ": a path across the plot: " + p);
                }
                if (varies) {
                    assertTrue(paths.stream().anyMatch(p -> number(p, "height") > 2), chart + " rises or falls: "
                            + paths);
                }
            }
            Number figures = (Number) js.executeScript("return document.querySelectorAll('figure svg').length;");
            assertEquals(StressReportTest.CHARTS.size(), figures.intValue());
            screenshots(browser, js);
        } finally {
            browser.quit();
        }
    }

    /** The whole page, and each plot on its own, into target/stress-report/ (a PNG each). */
    private static void screenshots(ChromeDriver browser, JavascriptExecutor js) throws IOException {
        Path out = Files.createDirectories(Path.of("target", "stress-report"));
        long height = ((Number) js.executeScript("return document.documentElement.scrollHeight;")).longValue();
        browser.manage().window().setSize(new Dimension(1000, (int) Math.min(height + 40, 12_000)));
        js.executeScript("window.scrollTo(0, 0);");
        Path page = out.resolve("page.png");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), page, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(page) > 10_000, "a screenshot with something on it");
        for (WebElement figure : browser.findElements(By.cssSelector("figure"))) {
            Files.copy(figure.getScreenshotAs(OutputType.FILE).toPath(), out.resolve(figure.getAttribute("id") + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("stress report screenshots: " + out.toAbsolutePath());
    }

    private static double number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    /** The first of these programs on the PATH. */
    private static Optional<Path> onPath(String... names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
