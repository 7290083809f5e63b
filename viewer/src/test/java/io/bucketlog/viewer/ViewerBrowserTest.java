package io.bucketlog.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser (headless Chromium) against a real server and a store written by
 * the samples and the writer API. One browser and one server for the class: starting Chromium is
 * the slow part.
 */
class ViewerBrowserTest {
    @TempDir
    static Path dir;
    static Path store;
    static ViewerServer server;
    static ChromeDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        store = dir.resolve("store");
        ViewerStore.write(store);
        server = ViewerServer.start(ViewerOptions.builder().directories(List.of(store)).port(0).build());
        driver = Browser.start(dir.resolve("chromium-profile"));
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openPage() {
        driver.get(server.uri().toString());
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    }

    private void chooseStream(String stream) {
        choose("stream", stream);
    }

    /** Picks an option of a menu that starts a search when it changes, and waits for its answers. */
    private void choose(String menu, String option) {
        Select select = new Select(driver.findElement(By.id(menu)));
        if (select.getFirstSelectedOption().getText().equals(option)) {
            return;
        }
        clearStatus();
        select.selectByVisibleText(option);
        waitForResults();
    }

    /** Empties the status lines, so that waiting for them waits for the next answers. */
    private void clearStatus() {
        driver.executeScript("document.getElementById('status').textContent = '';"
                + "document.getElementById('chart-status').textContent = '';");
    }

    /** Waits until the page has shown the answers of the search it started. */
    private void waitForResults() {
        wait.until(d -> {
            String s = d.findElement(By.id("status")).getText();
            String c = d.findElement(By.id("chart-status")).getText();
            return s.contains("events shown") && !c.isEmpty();
        });
    }

    private void search() {
        clearStatus();
        driver.findElement(By.id("search")).click();
        waitForResults();
    }

    private List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#results tbody tr.event-row"));
    }

    private long histogramTotal() {
        String s = driver.findElement(By.id("chart-status")).getText();
        return Long.parseLong(s.substring(0, s.indexOf(' ')));
    }

    @Test
    void aTextSearchShowsMatchingEventsAndTheDetailShowsEveryFieldAndTheStackTrace() throws Exception {
        chooseStream("orders");
        choose("range", "last 24 hours");
        driver.findElement(By.id("q")).sendKeys("failed for user");
        search();

        List<WebElement> rows = rows();
        assertThat(rows).isNotEmpty();
        for (WebElement r : rows) {
            assertThat(r.findElement(By.cssSelector("td.message")).getText()).contains("failed for user");
        }
        assertThat(histogramTotal()).isEqualTo(rows.size()); // fewer than a page: all of them

        rows.get(0).click();
        WebElement detail = wait.until(d -> d.findElement(By.id("detail")));
        wait.until(d -> detail.isDisplayed());
        String fields = driver.findElement(By.id("detail-fields")).getText();
        assertThat(fields).contains("logger", "com.example.orders.Payments", "attr ctx.userId", "cursor");
        String stack = driver.findElement(By.id("stack-trace")).getText();
        assertThat(stack).contains("java.lang.IllegalStateException: payment declined for order",
                "Caused by: java.io.IOException: card issuer answered 402");
    }

    @Test
    void theHistogramCountsTheFilterAndDraggingAcrossItZoomsTheRange() throws Exception {
        chooseStream("app");
        choose("range", "last 6 hours");
        assertThat(histogramTotal()).isEqualTo(ViewerStore.appEventCount());

        new Select(driver.findElement(By.id("level"))).selectByVisibleText("ERROR");
        search();
        long errors = histogramTotal();
        assertThat(errors).isPositive().isLessThan(ViewerStore.appEventCount());

        // Last hour, then drag across the middle half of the chart.
        new Select(driver.findElement(By.id("level"))).selectByVisibleText("any");
        choose("range", "last hour");
        long hour = histogramTotal();
        rows().get(0).click();
        wait.until(d -> d.findElement(By.id("detail")).isDisplayed());
        screenshot();
        WebElement over = driver.findElement(By.cssSelector("#chart .u-over"));
        int w = over.getSize().getWidth();
        clearStatus();
        new Actions(driver).moveToElement(over, -w / 4, 0).clickAndHold()
                .moveByOffset(w / 2, 0).release().perform();
        waitForResults();

        assertThat(new Select(driver.findElement(By.id("range"))).getFirstSelectedOption().getText())
                .isEqualTo("custom");
        Instant from = Instant.parse(driver.findElement(By.id("from")).getAttribute("value"));
        Instant to = Instant.parse(driver.findElement(By.id("to")).getAttribute("value"));
        assertThat(Duration.between(from, to).toMinutes()).isBetween(25L, 35L);
        long zoomed = histogramTotal();
        assertThat(zoomed).isPositive().isLessThan(hour);
        for (WebElement r : rows()) {
            Instant t = Instant.parse(r.findElement(By.cssSelector("td.time")).getText()
                    .replace(' ', 'T') + "Z");
            assertThat(t).isBetween(from.minusMillis(1), to);
        }
    }

    /** The README's picture of the main page. */
    private void screenshot() throws Exception {
        Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, Path.of("target", "viewer-main-page.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void olderPagesContinueFromTheCursorWithoutRepeatsOrGaps() {
        chooseStream("app");
        choose("range", "last 6 hours");
        assertThat(rows()).hasSize(100);
        for (int page = 2; page <= 3; page++) {
            int expected = page * 100;
            driver.findElement(By.id("older")).click();
            wait.until(d -> rows().size() == expected);
        }
        List<String> times = new ArrayList<>();
        Set<String> messages = new HashSet<>();
        for (WebElement r : rows()) {
            times.add(r.findElement(By.cssSelector("td.time")).getText());
            messages.add(r.findElement(By.cssSelector("td.message")).getText());
        }
        assertThat(messages).hasSize(300);
        List<String> sorted = new ArrayList<>(times);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertThat(times).isEqualTo(sorted);
    }

    @Test
    void theLiveTailShowsAnEventWrittenByAnotherProcessAndHoldsEventsWhilePaused() throws Exception {
        chooseStream("live");
        driver.findElement(By.id("live")).click();
        wait.until(d -> "true".equals(d.findElement(By.id("live")).getAttribute("data-ready")));

        writeFromChildJvm("live", "written by another process");
        wait.until(d -> rows().get(0).getText().contains("written by another process"));
        assertThat(rows().get(0).getAttribute("class")).contains("live");

        driver.findElement(By.id("pause")).click();
        writeFromChildJvm("live", "written while paused");
        wait.until(d -> d.findElement(By.id("status")).getText().contains("paused: 1 new events held"));
        assertThat(rows().get(0).getText()).doesNotContain("written while paused");
        driver.findElement(By.id("pause")).click();
        assertThat(rows().get(0).getText()).contains("written while paused");
        driver.findElement(By.id("live")).click();
        wait.until(d -> server.runningTails() == 0);
    }

    private void writeFromChildJvm(String stream, String message) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TailWriterProcess.class.getName(),
                store.toString(), stream, message).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void storeValuesAreShownAsTextAndNothingInThemRuns() {
        chooseStream("hostile");
        assertThat(rows()).hasSize(2);
        WebElement first = rows().get(1);
        assertThat(first.findElement(By.cssSelector("td.message")).getText())
                .isEqualTo(ViewerStore.SCRIPT_BODY);
        assertThat(first.findElement(By.cssSelector("td.key")).getText()).isEqualTo(ViewerStore.HOSTILE_KEY);

        first.click();
        wait.until(d -> d.findElement(By.id("detail")).isDisplayed());
        assertThat(driver.findElement(By.id("detail-fields")).getText())
                .contains(ViewerStore.HOSTILE_ATTRIBUTE, "<b>bold</b>.Logger");
        assertThat(driver.findElement(By.id("stack-trace")).getText()).contains("</pre><script>");

        first.findElement(By.cssSelector("td.key a")).click();
        wait.until(d -> d.findElement(By.id("timeline")).isDisplayed());
        assertThat(driver.findElement(By.id("timeline-title")).getText()).contains(ViewerStore.HOSTILE_KEY);
        assertThat(driver.findElements(By.cssSelector("#timeline-list li"))).hasSize(2);
        assertThat(driver.findElement(By.cssSelector("#timeline-list .gap")).getText())
                .isEqualTo("60.0 s after the previous event");

        new Actions(driver).moveToElement(rows().get(1)).perform(); // an onmouseover, if one got in
        assertThat(driver.executeScript("return typeof window.__xss")).isEqualTo("undefined");
        assertThat(driver.findElements(By.cssSelector("main img, main svg, main script, main b"))).isEmpty();
    }
}
