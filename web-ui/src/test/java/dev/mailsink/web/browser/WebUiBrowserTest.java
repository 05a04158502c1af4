package dev.mailsink.web.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.mailsink.AuthConfig;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.TlsMode;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import dev.mailsink.relay.RetryPolicy;
import dev.mailsink.testing.TestMail;
import dev.mailsink.testing.TestReader;
import dev.mailsink.web.MailsinkWebServer;
import jakarta.mail.SendFailedException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real browser: Debian's headless Chromium driven by Selenium through Debian's
 * chromedriver (set explicitly, so Selenium Manager downloads nothing). Without the browser the
 * tests are skipped locally and fail in CI ({@code CI=true}).
 */
@Tag("browser")
@Timeout(60)
class WebUiBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Path DOWNLOADS = Path.of("target", "browser-downloads").toAbsolutePath();
  private static final byte[] PNG =
      Base64.getDecoder()
          .decode(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEhgHA1ewb4QAAAABJRU5ErkJggg==");

  static final String PASSWORD = "browser-pw-secret";
  static Mailsink upstream;
  static Mailsink sink;
  static MailsinkWebServer web;
  static ChromeDriver driver;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    requireBrowser();
    Files.createDirectories(SCREENSHOTS);
    Files.createDirectories(DOWNLOADS);
    upstream = Mailsink.start();
    // optional STARTTLS and AUTH (any credentials) leave plain sends as they are
    sink =
        Mailsink.start(
            MailsinkConfig.builder()
                .pop3Port(0)
                .imapPort(0)
                .startTls(TlsMode.OPTIONAL)
                .auth(AuthConfig.optional())
                .relay(
                    RelayConfig.builder(upstream.smtpHost(), upstream.smtpPort())
                        .tls(RelayTls.NONE)
                        .allowedRecipients("*@example.com")
                        .retry(RetryPolicy.none())
                        .build())
                .build());
    web = MailsinkWebServer.start(sink);
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM.toString())
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--window-size=1280,900");
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory", DOWNLOADS.toString(),
            "download.prompt_for_download", false,
            "safebrowsing.enabled", false));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
  }

  private static void requireBrowser() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message =
        "Chromium and chromedriver are needed at "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + "; install them with: apt-get install -y chromium chromium-driver";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message);
    }
    Assumptions.abort(message);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (web != null) {
      web.close();
    }
    if (sink != null) {
      sink.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @BeforeEach
  void openTheUi() {
    sink.mailbox().clear();
    sink.sessions().clear();
    sink.faults().clear();
    upstream.mailbox().clear();
    upstream.sessions().clear();
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    driver.get(web.url());
    wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
  }

  @AfterEach
  void screenshot(TestInfo test) throws IOException {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(),
        SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static WebElement row(String subject) {
    return wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.xpath(
                "//ul[@id='message-list']/li[span[@class='m-subject' and text()="
                    + xpathLiteral(subject)
                    + "]]")));
  }

  /** Opens the message and waits until its view shows it. */
  private static void open(String subject) {
    // a row may be re-rendered by a live update between finding and clicking it
    wait.ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              row(subject).click();
              return true;
            });
    wait.until(ExpectedConditions.textToBe(By.id("d-subject"), subject));
  }

  private static void clickTab(String id) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  private static String xpathLiteral(String s) {
    if (!s.contains("'")) {
      return "'" + s + "'";
    }
    return "concat('" + s.replace("'", "', \"'\", '") + "')";
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  @Test
  void mailSentOverSmtpAppearsWithoutAReload() {
    js("window.__notReloaded = true;");

    TestMail.message()
        .from("Shop <shop@x.test>")
        .to("alice@example.com")
        .subject("Live delivery")
        .text("hi")
        .sendTo(sink.smtpHost(), sink.smtpPort());

    WebElement row = row("Live delivery");
    assertThat(row.findElement(By.className("m-from")).getText()).isEqualTo("Shop");
    assertThat(js("return window.__notReloaded === true;")).isEqualTo(true);
    assertThat(driver.findElement(By.id("list-count")).getText()).isEqualTo("1 message");
  }

  @Test
  void openingAMessageShowsTheHtmlPreviewWithItsInlineImage() {
    TestMail.message()
        .to("alice@example.com")
        .subject("Newsletter")
        .text("plain version")
        .html("<h1 id=\"headline\">Big news</h1><img id=\"logo\" alt=\"logo\" src=\"cid:logo@x\">")
        .inlineImage("logo@x", "image/png", PNG)
        .sendTo(sink.smtpHost(), sink.smtpPort());

    open("Newsletter");
    wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("preview")));
    try {
      WebElement headline =
          wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("headline")));
      assertThat(headline.getText()).isEqualTo("Big news");
      WebElement logo = driver.findElement(By.id("logo"));
      wait.until(d -> ((Number) js("return arguments[0].naturalWidth;", logo)).intValue() > 0);
    } finally {
      driver.switchTo().defaultContent();
    }
    assertThat(driver.findElement(By.id("d-subject")).getText()).isEqualTo("Newsletter");
  }

  @Test
  void scriptsInMailDoNotRunInThePreview() {
    TestMail.message()
        .to("alice@example.com")
        .subject("Hostile")
        .html(
            "<p id=\"target\">original</p>"
                + "<script>document.getElementById('target').textContent='pwned';"
                + "parent.document.title='pwned';</script>"
                + "<img src=\"x\" onerror=\"document.getElementById('target').textContent='pwned'\">")
        .sendTo(sink.smtpHost(), sink.smtpPort());

    open("Hostile");
    wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("preview")));
    try {
      WebElement target = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("target")));
      wait.until(d -> "complete".equals(js("return document.readyState;")));
      assertThat(target.getText()).isEqualTo("original");
    } finally {
      driver.switchTo().defaultContent();
    }
    assertThat(driver.getTitle()).doesNotContain("pwned");
  }

  @Test
  void remoteImagesAreBlockedUntilTheUserAllowsThem() throws IOException {
    AtomicInteger hits = new AtomicInteger();
    HttpServer tracker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    tracker.createContext(
        "/pixel.png",
        exchange -> {
          hits.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "image/png");
          exchange.sendResponseHeaders(200, PNG.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(PNG);
          }
        });
    tracker.start();
    try {
      String pixel = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/pixel.png";
      TestMail.message()
          .to("alice@example.com")
          .subject("Tracked")
          .html("<p id=\"body\">hello</p><img id=\"pixel\" src=\"" + pixel + "\">")
          .sendTo(sink.smtpHost(), sink.smtpPort());

      open("Tracked");
      WebElement banner =
          wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("remote-banner")));
      wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("preview")));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("body")));
      wait.until(d -> "complete".equals(js("return document.readyState;")));
      driver.switchTo().defaultContent();
      assertThat(hits.get()).as("requests to the remote image before allowing").isZero();

      driver.findElement(By.id("allow-remote")).click();

      wait.until(d -> hits.get() > 0);
      assertThat(banner.isDisplayed()).isFalse();
    } finally {
      driver.switchTo().defaultContent();
      tracker.stop(0);
    }
  }

  @Test
  void anAttachmentDownloads() throws IOException {
    byte[] csv = "id,total\n12,99.50\n".getBytes(StandardCharsets.UTF_8);
    Path file = DOWNLOADS.resolve("report-12.csv");
    Files.deleteIfExists(file);
    TestMail.message()
        .to("alice@example.com")
        .subject("Your report")
        .text("attached")
        .attach("report-12.csv", "text/csv", csv)
        .sendTo(sink.smtpHost(), sink.smtpPort());

    open("Your report");
    clickTab("tab-attachments");
    WebElement link =
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#d-attachments a")));
    assertThat(link.getText()).isEqualTo("report-12.csv");
    link.click();

    // Text parts travel with CRLF line ends; the download is the part as the server decoded it.
    byte[] expected = sink.mailbox().latest().orElseThrow().attachments().get(0).content();
    wait.until(d -> Files.exists(file) && fileSize(file) == expected.length);
    assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    assertThat(new String(expected, StandardCharsets.UTF_8))
        .isEqualToNormalizingNewlines(new String(csv, StandardCharsets.UTF_8));
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  @Test
  void theEnvelopeShowsEveryRecipientIncludingBcc() {
    TestMail.message()
        .to("alice@example.com")
        .bcc("secret@example.com")
        .subject("With Bcc")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());

    open("With Bcc");
    clickTab("tab-envelope");

    String envelope =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("d-envelope"))).getText();
    assertThat(envelope).contains("<alice@example.com>", "<secret@example.com>", "Bcc");
    assertThat(driver.findElement(By.id("d-meta")).getText()).contains("secret@example.com");
  }

  @Test
  void deleteRemovesTheOpenMessage() {
    TestMail.message()
        .to("a@example.com")
        .subject("Keep me")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    TestMail.message()
        .to("a@example.com")
        .subject("Delete me")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());

    open("Delete me");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("d-delete"))).click();

    wait.until(
        ExpectedConditions.invisibilityOfElementLocated(
            By.xpath("//li[span[@class='m-subject' and text()='Delete me']]")));
    assertThat(sink.mailbox().messages()).extracting(m -> m.subject()).containsExactly("Keep me");
    row("Keep me");
  }

  @Test
  void aMessageExpungedOverImapLeavesTheLiveListWithoutAReload() throws Exception {
    for (String subject : List.of("Stays", "Expunged over IMAP")) {
      TestMail.message()
          .to("alice@example.com")
          .subject(subject)
          .text("x")
          .sendTo(sink.smtpHost(), sink.smtpPort());
    }
    row("Stays");
    row("Expunged over IMAP");
    js("window.__notReloaded = true;");

    deleteAsAlice("imap", sink.imapPort(), "Expunged over IMAP");

    wait.until(
        ExpectedConditions.invisibilityOfElementLocated(
            By.xpath("//li[span[@class='m-subject' and text()='Expunged over IMAP']]")));
    row("Stays");
    wait.until(ExpectedConditions.textToBe(By.id("list-count"), "1 message"));
    assertThat(js("return window.__notReloaded === true;")).isEqualTo(true);
  }

  @Test
  void theOpenMessageClosesWhenAPop3ClientDeletesIt() throws Exception {
    TestMail.message()
        .to("alice@example.com")
        .subject("Read, then deleted over POP3")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    open("Read, then deleted over POP3");
    assertThat(driver.findElement(By.id("detail-pane")).isDisplayed()).isTrue();

    deleteAsAlice("pop3", sink.pop3Port(), "Read, then deleted over POP3");

    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail-pane")));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("empty")));
    assertThat(driver.findElement(By.id("placeholder")).isDisplayed()).isTrue();
  }

  /** Deletes alice@example.com's message with this subject over POP3 or IMAP. */
  private static void deleteAsAlice(String protocol, int port, String subject) throws Exception {
    assertThat(
            TestReader.via(protocol, sink.smtpHost(), port)
                .deleteBySubject("alice@example.com", "any", subject))
        .as("messages '%s' in alice's inbox", subject)
        .isEqualTo(1);
  }

  @Test
  void clearAllEmptiesTheMailboxAfterConfirmation() {
    TestMail.message()
        .to("a@example.com")
        .subject("One")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    TestMail.message()
        .to("a@example.com")
        .subject("Two")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    row("Two");

    driver.findElement(By.id("btn-clear")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-clear-ok"))).click();

    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("empty")));
    assertThat(driver.findElements(By.cssSelector("#message-list li"))).isEmpty();
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void aSubjectWithMarkupStaysText() {
    String hostile = "<img src=x onerror=alert(1)>";
    TestMail.message()
        .to("a@example.com")
        .subject(hostile)
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());

    WebElement row = row(hostile);
    assertThat(row.findElement(By.className("m-subject")).getText()).isEqualTo(hostile);
    assertThat(driver.findElements(By.cssSelector("#message-list img"))).isEmpty();
    open(hostile);
    assertThat(driver.findElements(By.cssSelector("#d-subject img, .detail-head img"))).isEmpty();
    assertNoAlert();
  }

  private static void assertNoAlert() {
    try {
      String text = driver.switchTo().alert().getText();
      fail("an alert opened: " + text);
    } catch (NoAlertPresentException expected) {
      // no script ran
    }
  }

  @Test
  void theSearchBoxFiltersWithTheQueryLanguage() {
    TestMail.message()
        .to("alice@example.com")
        .subject("alpha report")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    TestMail.message()
        .to("bob@example.org")
        .subject("beta report")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    row("beta report");

    WebElement search = driver.findElement(By.id("search"));
    search.sendKeys("to:*@example.com report");

    wait.until(ExpectedConditions.textToBe(By.id("list-count"), "1 message matching"));
    assertThat(driver.findElements(By.cssSelector("#message-list li"))).hasSize(1);
    row("alpha report");

    search.clear();
    search.sendKeys("colour:red");
    WebElement error =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("search-error")));
    assertThat(error.getText()).contains("unknown field 'colour'");
  }

  private static void send(String to, String subject) {
    TestMail.message().to(to).subject(subject).text("x").sendTo(sink.smtpHost(), sink.smtpPort());
  }

  private static void chooseNamespace(String value) {
    // the menu is re-rendered as namespaces change: find it afresh until the choice sticks
    wait.ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              new Select(d.findElement(By.id("namespace"))).selectByValue(value);
              return true;
            });
  }

  private static List<String> listedSubjects() {
    return driver.findElements(By.cssSelector("#message-list .m-subject")).stream()
        .map(WebElement::getText)
        .toList();
  }

  @Test
  void theNamespaceFilterShowsOnlyThatNamespacesMailLiveAndKeepsItInTheUrl() {
    send("alice+ns1@example.com", "for ns1");
    send("bob+ns2@example.com", "for ns2");
    send("carol@example.com", "for nobody");
    row("for nobody");
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.xpath("//select[@id='namespace']/option[@value='ns2' and text()='ns2 (1)']")));

    chooseNamespace("ns1");

    wait.until(ExpectedConditions.textToBe(By.id("list-count"), "1 message in ns1"));
    assertThat(listedSubjects()).containsExactly("for ns1");
    assertThat(driver.getCurrentUrl()).endsWith("/?namespace=ns1");

    send("bob+ns2@example.com", "late for ns2");
    send("alice+ns1@example.com", "late for ns1");

    row("late for ns1");
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.xpath("//select[@id='namespace']/option[@value='ns2' and text()='ns2 (2)']")));
    assertThat(listedSubjects()).containsExactly("late for ns1", "for ns1");
    assertThat(driver.findElement(By.id("list-count")).getText()).isEqualTo("2 messages in ns1");

    driver.findElement(By.id("search")).sendKeys("late");
    wait.until(ExpectedConditions.textToBe(By.id("list-count"), "1 message matching in ns1"));
    assertThat(listedSubjects()).containsExactly("late for ns1");

    driver.findElement(By.id("search")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    wait.until(ExpectedConditions.textToBe(By.id("list-count"), "2 messages in ns1"));
    chooseNamespace("");
    wait.until(ExpectedConditions.textToBe(By.id("list-count"), "5 messages"));
    assertThat(driver.getCurrentUrl()).doesNotContain("namespace");
  }

  @Test
  void aSharedLinkOpensItsNamespaceAndClearAllDeletesOnlyThere() {
    send("alice+ns1@example.com", "one in ns1");
    send("alice+ns1@example.com", "two in ns1");
    send("bob+ns2@example.com", "stays in ns2");

    driver.get(web.url() + "?namespace=NS1");
    wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
    wait.until(ExpectedConditions.textToBe(By.id("list-count"), "2 messages in ns1"));
    assertThat(
            new Select(driver.findElement(By.id("namespace"))).getFirstSelectedOption().getText())
        .isEqualTo("ns1 (2)");
    open("two in ns1");

    driver.findElement(By.id("btn-clear")).click();
    assertThat(
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-clear-text")))
                .getText())
        .isEqualTo("All 2 messages in namespace ns1 will be deleted.");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-clear-ok"))).click();

    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("empty")));
    assertThat(sink.mailbox().messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("stays in ns2");
  }

  @Test
  void theSessionsDialogOfANamespaceListsOnlyTheSessionsThatStoredMailThere() {
    send("alice+ns1@example.com", "session for ns1");
    send("bob+ns2@example.com", "session for ns2");
    send("carol@example.com", "session for nobody");
    sink.sessions().await(t -> !t.isOpen(), 3, Duration.ofSeconds(10));
    long ns1Id =
        sink.mailbox().messages().stream()
            .filter(m -> m.subject().equals("session for ns1"))
            .findFirst()
            .orElseThrow()
            .id();
    row("session for nobody");

    chooseNamespace("ns1");
    wait.until(ExpectedConditions.textToBe(By.id("list-count"), "1 message in ns1"));
    driver.findElement(By.id("btn-sessions")).click();
    wait.until(
        ExpectedConditions.textToBe(By.id("sessions-title"), "SMTP sessions in namespace ns1"));
    WebElement rows =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session-rows")));
    wait.until(d -> rows.findElements(By.tagName("tr")).size() == 1);
    WebElement only = rows.findElements(By.tagName("tr")).get(0);
    assertThat(only.getText()).contains("#" + ns1Id);
    only.click();
    assertThat(
            wait.until(
                    ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("#session-detail .transcript")))
                .getText())
        .contains("alice+ns1@example.com")
        .doesNotContain("bob+ns2@example.com");
    assertThat(driver.findElement(By.cssSelector("#session-detail .meta")).getText())
        .contains("Namespaces\nns1");
    driver.findElement(By.id("sessions-close")).click();

    chooseNamespace("");
    wait.until(ExpectedConditions.textToBe(By.id("list-count"), "3 messages"));
    driver.findElement(By.id("btn-sessions")).click();
    wait.until(ExpectedConditions.textToBe(By.id("sessions-title"), "SMTP sessions"));
    wait.until(d -> rows.findElements(By.tagName("tr")).size() == 3);
    driver.findElement(By.id("sessions-close")).click();
  }

  @Test
  void theKeyboardMovesThroughTheListAndOpensMessages() {
    TestMail.message()
        .to("a@example.com")
        .subject("older")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    TestMail.message()
        .to("a@example.com")
        .subject("newer")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    row("older");

    driver.findElement(By.tagName("body")).sendKeys("/");
    assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("search");
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    WebElement list = driver.switchTo().activeElement();
    assertThat(list.getAttribute("id")).isEqualTo("message-list");
    list.sendKeys("j");
    list.sendKeys(Keys.ENTER);

    wait.until(ExpectedConditions.textToBe(By.id("d-subject"), "older"));
    driver.switchTo().activeElement().sendKeys("k");
    wait.until(ExpectedConditions.textToBe(By.id("d-subject"), "newer"));
  }

  @Test
  void theLayoutWorksAt360PixelsWide() {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 360, "height", 740, "deviceScaleFactor", 1, "mobile", true));
    driver.navigate().refresh();
    wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
    TestMail.message()
        .to("someone.with.a.very.long.address@subdomain.example.com")
        .subject("A rather long subject line that would not fit on a small phone screen")
        .html("<p>Hello from a phone</p>")
        .sendTo(sink.smtpHost(), sink.smtpPort());

    open("A rather long subject line that would not fit on a small phone screen");
    WebElement back = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("back")));
    assertThat(driver.findElement(By.id("list-pane")).isDisplayed()).isFalse();
    assertThat(((Number) js("return document.documentElement.scrollWidth;")).intValue())
        .isLessThanOrEqualTo(360);

    back.click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message-list")));
    assertThat(((Number) js("return document.documentElement.scrollWidth;")).intValue())
        .isLessThanOrEqualTo(360);
  }

  @Test
  void theColoursFollowASystemDarkMode() {
    driver.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    TestMail.message()
        .to("a@example.com")
        .subject("At night")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    row("At night");

    String background = (String) js("return getComputedStyle(document.body).backgroundColor;");

    assertThat(background).isEqualTo("rgb(22, 24, 28)");
  }

  @Test
  void theFaultsPanelAddsRulesShowsHitsAndRemovesThem() {
    sink.faults().clear();
    driver.navigate().refresh();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("btn-faults"))).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("fault-form")));
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("f-match-field")))
        .selectByValue("recipient");
    driver.findElement(By.id("f-match-value")).sendKeys("bob@example.com");
    driver.findElement(By.id("f-times")).sendKeys("1");
    driver.findElement(By.id("fault-add")).click();

    WebElement hits =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#fault-rows td.hits")));
    assertThat(hits.getText()).isEqualTo("0");
    assertThat(sink.faults().list()).hasSize(1);
    assertThat(driver.findElement(By.id("fault-rows")).getText())
        .contains("RCPT", "recipient=bob@example.com", "reply 550 5.1.1 Mailbox unavailable");

    try {
      TestMail.message().to("bob@example.com").text("x").sendTo(sink.smtpHost(), sink.smtpPort());
      fail("the rule should have refused bob");
    } catch (IllegalStateException expected) {
      // 550 from the rule
    }
    driver.findElement(By.id("fault-refresh")).click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#fault-rows td.hits"), "1"));

    driver.findElement(By.cssSelector("#fault-rows button[data-rule]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("faults-empty")));
    assertThat(sink.faults().list()).isEmpty();
  }

  @Test
  void anInvalidFaultRuleShowsTheServersReason() {
    driver.navigate().refresh();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("btn-faults"))).click();
    driver.findElement(By.tagName("summary")).click();
    driver
        .findElement(By.id("f-json"))
        .sendKeys("{\"stage\":\"RCPT\",\"action\":{\"type\":\"explode\"}}");
    driver.findElement(By.id("fault-add")).click();

    WebElement error =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("fault-error")));
    assertThat(error.getText()).contains("action.type must be one of");
  }

  @Test
  void theServerPanelShowsPortsAndLimits() {
    driver.findElement(By.id("btn-server")).click();

    WebElement info =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("server-info")));
    assertThat(info.getText())
        .contains(sink.smtpHost() + ":" + sink.smtpPort())
        .contains(web.url())
        .contains("POP3\n" + sink.smtpHost() + ":" + sink.pop3Port())
        .doesNotContain("POP3S")
        .contains("Max message size");
  }

  private static void sendOverTlsWithAuth(String subject) throws Exception {
    TestMail.via(sink.smtpHost(), sink.smtpPort())
        .from("app@x.test")
        .to("alice@example.com")
        .subject(subject)
        .text("over TLS")
        .startTls(sink.tls().sslContext())
        .auth("app", PASSWORD)
        .send();
  }

  @Test
  void theSessionTabShowsTheTranscriptWithTlsAuthAndNoCredentials() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.RCPT).greylist(Duration.ZERO));
    try {
      sendOverTlsWithAuth("Greylisted first");
    } catch (SendFailedException greylisted) {
      sendOverTlsWithAuth("Greylisted first");
    }
    sink.sessions().await(t -> !t.isOpen(), 2, Duration.ofSeconds(10));

    open("Greylisted first");
    clickTab("tab-session");
    WebElement transcript =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#d-session .transcript")));
    String text = transcript.getText();
    assertThat(text)
        .contains("STARTTLS")
        .contains("AUTH LOGIN")
        .contains("[credentials redacted]")
        .contains("LOGIN as app: authenticated")
        .contains("MAIL FROM:<app@x.test>")
        .contains("250 2.0.0 Ok: queued as")
        .doesNotContain(PASSWORD);
    assertThat(transcript.findElements(By.cssSelector("tr.k-tls"))).hasSize(1);
    assertThat(driver.findElement(By.id("d-session")).getText()).contains("app (LOGIN)");

    // the attempt that was greylisted delivered nothing, and is in the session log
    driver.findElement(By.id("btn-sessions")).click();
    WebElement rows =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session-rows")));
    wait.until(d -> rows.findElements(By.tagName("tr")).size() == 2);
    WebElement greylisted = rows.findElements(By.tagName("tr")).get(1);
    assertThat(greylisted.getText()).contains("quit").contains("1 fault(s)");
    greylisted.click();
    WebElement detail =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#session-detail .transcript")));
    assertThat(detail.getText())
        .contains("451 4.7.1 Greylisted, please try again later")
        .contains("rule #")
        .doesNotContain(PASSWORD);
    driver.findElement(By.id("sessions-close")).click();
  }

  @Test
  void releasingAMessageSendsItAndShowsTheOutcome() throws Exception {
    TestMail.message()
        .to("alice@example.com")
        .subject("Release me")
        .text("to the real world")
        .sendTo(sink.smtpHost(), sink.smtpPort());

    open("Release me");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("d-release"))).click();
    WebElement to = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("r-to")));
    to.clear();
    to.sendKeys("bob@evil.test");
    driver.findElement(By.id("release-send")).click();
    WebElement error =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("release-error")));
    assertThat(error.getText()).contains("does not allow [bob@evil.test]");
    assertThat(upstream.sessions().sessions()).isEmpty();

    to.clear();
    to.sendKeys("carol@example.com");
    driver.findElement(By.id("release-send")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("release-dialog")));
    CapturedMessage arrived = upstream.mailbox().await(1, Duration.ofSeconds(10)).get(0);
    assertThat(arrived.subject()).isEqualTo("Release me");
    assertThat(arrived.envelope().recipients()).containsExactly("carol@example.com");
    WebElement releases =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("d-releases")));
    // the outcome arrives as a release event and the tab redraws
    wait.until(d -> releases.getText().contains("delivered to carol@example.com"));
    assertThat(releases.getText()).contains("250 2.0.0 Ok: queued as " + arrived.id());
    assertThat(driver.findElement(By.id("tab-releases")).getText()).isEqualTo("Releases (1)");
  }

  @Test
  void aReleaseOfANamespacedMessageShowsItsNamespace() throws Exception {
    send("alice+rel@example.com", "Release from a namespace");
    CapturedMessage m = sink.mailbox().await(1, Duration.ofSeconds(10)).get(0);
    sink.release(m, "carol@example.com").get(10, TimeUnit.SECONDS);
    // ended before the next test clears the upstream's sessions
    upstream.sessions().await(t -> !t.isOpen(), 1, Duration.ofSeconds(10));

    open("Release from a namespace");
    clickTab("tab-releases");
    WebElement releases =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("d-releases")));
    assertThat(releases.getText())
        .contains("delivered to carol@example.com · namespace rel · manual");
  }
}
