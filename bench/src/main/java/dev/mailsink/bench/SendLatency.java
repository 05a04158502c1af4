package dev.mailsink.bench;

import dev.mailsink.Mailsink;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * What a test author feels: the round trip of one {@code Transport.send} (a new connection per
 * message, as applications send) to an in-process sink, and the time to start and close a sink.
 *
 * <p>Usage: {@code SendLatency [sends] [starts]}. Prints one Markdown table row: Java version, send
 * p50 / p99 / max in µs, start+close p50 / p90 in ms. Every message sent is checked stored.
 */
public final class SendLatency {
  private SendLatency() {}

  public static void main(String[] args) throws Exception {
    int sends = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int starts = args.length > 1 ? Integer.parseInt(args[1]) : 50;

    long[] send = new long[sends];
    try (Mailsink sink = Mailsink.start()) {
      Session session = session(sink);
      for (int i = 0; i < 2_000; i++) {
        send(session, i);
      }
      sink.mailbox().clear();
      for (int i = 0; i < sends; i++) {
        long t0 = System.nanoTime();
        send(session, i);
        send[i] = System.nanoTime() - t0;
      }
      // the 250 came after storing: every message must be there now, without waiting
      if (sink.mailbox().count() != sends) {
        throw new IllegalStateException(
            "stored " + sink.mailbox().count() + " of " + sends + " messages");
      }
    }

    for (int i = 0; i < 10; i++) {
      Mailsink.start().close();
    }
    long[] startStop = new long[starts];
    for (int i = 0; i < starts; i++) {
      long t0 = System.nanoTime();
      Mailsink.start().close();
      startStop[i] = System.nanoTime() - t0;
    }

    Arrays.sort(send);
    Arrays.sort(startStop);
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %.0f | %.0f | %.0f | %.1f | %.1f |%n",
        Runtime.version(),
        sends,
        micros(percentile(send, 0.50)),
        micros(percentile(send, 0.99)),
        micros(send[send.length - 1]),
        millis(percentile(startStop, 0.50)),
        millis(percentile(startStop, 0.90)));
  }

  private static Session session(Mailsink sink) {
    Properties props = new Properties();
    props.setProperty("mail.smtp.host", sink.smtpHost());
    props.setProperty("mail.smtp.port", Integer.toString(sink.smtpPort()));
    props.setProperty("mail.smtp.localhost", "bench.test");
    props.setProperty("mail.smtp.timeout", Long.toString(Duration.ofSeconds(10).toMillis()));
    return Session.getInstance(props);
  }

  private static void send(Session session, int i) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom("app@bench.test");
    m.setRecipients(Message.RecipientType.TO, "user@bench.test");
    m.setSubject("Welcome " + i);
    m.setText("Hello, and welcome.");
    Transport.send(m);
  }

  private static long percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double micros(long nanos) {
    return nanos / 1_000.0;
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
