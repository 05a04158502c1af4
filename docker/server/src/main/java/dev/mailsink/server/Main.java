package dev.mailsink.server;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import java.util.concurrent.CountDownLatch;

/** Starts a standalone Mailsink server on 127.0.0.1:1025 until the process is stopped. */
public final class Main {
  private Main() {}

  /** Starts the server; stops it cleanly on SIGTERM or Ctrl-C. */
  public static void main(String[] args) throws InterruptedException {
    Mailsink sink = Mailsink.start(MailsinkConfig.builder().smtpPort(1025).build());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sink.close();
                  stopped.countDown();
                },
                "mailsink-shutdown"));
    System.out.println(
        "Mailsink SMTP listening on smtp://" + sink.smtpHost() + ":" + sink.smtpPort());
    stopped.await();
  }
}
