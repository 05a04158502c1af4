package dev.mailsink.testing;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/**
 * Reads mail over real POP3 or IMAP with Angus Mail's own providers ({@code pop3}, {@code pop3s},
 * {@code imap}, {@code imaps}), as a mail client would: the reading counterpart of {@link
 * TestMail}.
 *
 * <pre>{@code
 * Store store = TestReader.via("imap", host, port).startTls(trust).connect("alice@example.com", "pw");
 * TestReader.via("pop3", host, port).deleteBySubject("alice@example.com", "pw", "Hi");
 * List<String> subjects = TestReader.via("imap", host, port).inboxSubjects("all", "pw");
 * }</pre>
 *
 * <p>Timeouts are short (connect 10 s, read 20 s). Not thread-safe; the stores it makes are
 * independent of it.
 */
public final class TestReader {
  private final String protocol;
  private final Properties properties = new Properties();

  private TestReader(String protocol, String host, int port) {
    this.protocol = protocol;
    put("host", host);
    put("port", String.valueOf(port));
    put("connectiontimeout", "10000");
    put("timeout", "20000");
  }

  /** A reader for the server at {@code host:port} speaking {@code protocol}, e.g. {@code imap}. */
  public static TestReader via(String protocol, String host, int port) {
    return new TestReader(
        Objects.requireNonNull(protocol, "protocol"), Objects.requireNonNull(host, "host"), port);
  }

  /**
   * TLS trusting only the certificates that {@code trust} trusts, with the host name checked: for
   * {@code pop3s} and {@code imaps}, and for {@link #startTls(SSLContext)}.
   */
  public TestReader trusting(SSLContext trust) {
    put("ssl.socketFactory", trust.getSocketFactory());
    put("ssl.checkserveridentity", "true");
    return this;
  }

  /** STLS (POP3) or STARTTLS (IMAP) required before login, trusting as {@link #trusting}. */
  public TestReader startTls(SSLContext trust) {
    put("starttls.enable", "true");
    put("starttls.required", "true");
    return trusting(trust);
  }

  /** A store for these settings, not yet connected. */
  public Store store() {
    try {
      return Session.getInstance(properties).getStore(protocol);
    } catch (MessagingException e) {
      throw new IllegalStateException("no " + protocol + " provider: " + e, e);
    }
  }

  /** A store for these settings, connected (logged in) as {@code user}. */
  public Store connect(String user, String password) throws MessagingException {
    Store store = store();
    store.connect(user, password);
    return store;
  }

  /**
   * Logs in, reads the subjects of the INBOX's messages read-only, in the server's order, closes
   * the INBOX without expunge and logs out.
   *
   * @return the subjects, {@code null} for a message without one
   */
  public List<String> inboxSubjects(String user, String password) throws MessagingException {
    Store store = connect(user, password);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      List<String> subjects = new ArrayList<>();
      for (Message m : inbox.getMessages()) {
        subjects.add(m.getSubject());
      }
      inbox.close(false);
      return subjects;
    } finally {
      store.close();
    }
  }

  /**
   * Logs in, marks every message of the INBOX with this subject deleted and closes the INBOX with
   * expunge (POP3: DELE each, then QUIT; IMAP: STORE \Deleted, then CLOSE), then logs out.
   *
   * @return how many messages were marked
   */
  public int deleteBySubject(String user, String password, String subject)
      throws MessagingException {
    Store store = connect(user, password);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      int marked = 0;
      for (Message m : inbox.getMessages()) {
        if (subject.equals(m.getSubject())) {
          m.setFlag(Flags.Flag.DELETED, true);
          marked++;
        }
      }
      inbox.close(true);
      return marked;
    } finally {
      store.close();
    }
  }

  private void put(String key, Object value) {
    properties.put("mail." + protocol + "." + key, value);
  }
}
