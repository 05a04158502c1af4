package dev.mailsink.bench;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;

import dev.mailsink.Mailsink;
import dev.mailsink.junit.MailsinkAssertions;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * The added time of a passing {@code receivedExactly(1)}: its quiet period. Each round sends one
 * message with {@code Transport.send} to an in-process sink, times the assertion, and clears the
 * mailbox; the rounds alternate between a quiet period of zero (the count check alone), 50 ms and
 * the default (200 ms), so that load on the machine hits each alike.
 *
 * <p>Usage: {@code QuietPeriod [rounds]}. Prints Markdown table rows: quiet period, assertion p50 /
 * p90 / max in ms, and p50 minus the p50 of the zero quiet period (the added time per assertion).
 */
public final class QuietPeriod {
  private QuietPeriod() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    Duration[] quiet = {
      Duration.ZERO, Duration.ofMillis(50), MailsinkAssertions.DEFAULT_EXACTLY_QUIET_PERIOD
    };
    long[][] took = new long[quiet.length][rounds];
    try (Mailsink sink = Mailsink.start()) {
      Properties props = new Properties();
      props.put("mail.smtp.host", sink.smtpHost());
      props.put("mail.smtp.port", String.valueOf(sink.smtpPort()));
      Session session = Session.getInstance(props);
      for (int i = 0; i < 20; i++) { // warm-up, also of the assertion classes
        send(session, i);
        assertThat(sink).quietFor(Duration.ZERO).receivedExactly(1);
        sink.mailbox().clear();
      }
      for (int r = 0; r < rounds; r++) {
        for (int q = 0; q < quiet.length; q++) {
          send(session, r);
          long t0 = System.nanoTime();
          assertThat(sink).quietFor(quiet[q]).receivedExactly(1).withSubject("Round " + r);
          took[q][r] = System.nanoTime() - t0;
          sink.mailbox().clear();
        }
      }
    }
    double base = 0;
    for (int q = 0; q < quiet.length; q++) {
      long[] t = took[q];
      Arrays.sort(t);
      double p50 = ms(t[t.length / 2]);
      if (q == 0) {
        base = p50;
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %.2f | %.2f | %.2f | %+.2f |%n",
          q == 2 ? quiet[q] + " (default)" : quiet[q].toString(),
          rounds,
          p50,
          ms(t[(int) (t.length * 0.9)]),
          ms(t[t.length - 1]),
          p50 - base);
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static void send(Session session, int round) throws Exception {
    MimeMessage m = new MimeMessage(session);
    m.setFrom("bench@example.com");
    m.setRecipients(Message.RecipientType.TO, "sink@example.com");
    m.setSubject("Round " + round);
    m.setText("Hello");
    Transport.send(m);
  }
}
