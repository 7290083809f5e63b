package io.bucketlog.viewer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through the system's chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}; .ci/run installs them). Both paths are given, so Selenium Manager never
 * looks for, or downloads, a browser or a driver; the flags keep the browser off the network.
 */
final class Browser {
    static final String CHROMIUM = System.getProperty("viewer.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("viewer.chromedriver", "/usr/bin/chromedriver");

    private Browser() {
    }

    static ChromeDriver start(Path profile) throws IOException {
        for (String p : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(Path.of(p))) {
                throw new IllegalStateException(p + " is missing: apt-get install chromium chromium-driver");
            }
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,900",
                "--user-data-dir=" + Files.createDirectories(profile).toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }
}
