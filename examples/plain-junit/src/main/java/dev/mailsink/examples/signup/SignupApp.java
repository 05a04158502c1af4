package dev.mailsink.examples.signup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny web application with a signup: {@link #signup(String)} mails a confirmation link, and
 * opening the link ({@code GET /confirm?token=...}) confirms the address. It stands for the
 * application a user of Mailsink tests; nothing in it knows about Mailsink.
 */
public final class SignupApp implements AutoCloseable {
  private final HttpServer http;
  private final Session mail;
  private final Map<String, String> addressByToken = new ConcurrentHashMap<>();
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

  private SignupApp(String smtpHost, int smtpPort) throws IOException {
    Properties props = new Properties();
    props.setProperty("mail.smtp.host", smtpHost);
    props.setProperty("mail.smtp.port", String.valueOf(smtpPort));
    this.mail = Session.getInstance(props);
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/confirm", this::confirm);
    http.start();
  }

  /** Starts the application on a free port of 127.0.0.1, sending mail to the given SMTP server. */
  public static SignupApp start(String smtpHost, int smtpPort) throws IOException {
    return new SignupApp(smtpHost, smtpPort);
  }

  /** The address of the web application, e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /** Registers {@code address} and mails it a link that confirms it. */
  public void signup(String address) throws MessagingException {
    String token = UUID.randomUUID().toString();
    addressByToken.put(token, address);
    String link = baseUrl() + "/confirm?token=" + token;

    MimeBodyPart text = new MimeBodyPart();
    text.setText("Welcome! Please confirm your address:\n" + link + "\n", "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setContent(
        "<p>Welcome! Please <a href=\"" + link + "\">confirm your address</a>.</p>",
        "text/html; charset=UTF-8");

    MimeMessage message = new MimeMessage(mail);
    message.setFrom(sender());
    message.setRecipients(Message.RecipientType.TO, address);
    message.setSubject("Confirm your address", "UTF-8");
    message.setContent(new MimeMultipart("alternative", text, html));
    Transport.send(message);
  }

  /** Whether the address's confirmation link was opened. */
  public boolean isConfirmed(String address) {
    return confirmed.contains(address);
  }

  private static InternetAddress sender() {
    try {
      return new InternetAddress("no-reply@app.example", "Example App", "UTF-8");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void confirm(HttpExchange exchange) throws IOException {
    String query = String.valueOf(exchange.getRequestURI().getQuery());
    String address = query.startsWith("token=") ? addressByToken.remove(query.substring(6)) : null;
    if (address != null) {
      confirmed.add(address);
    }
    byte[] body =
        (address != null ? "Thanks, " + address + " is confirmed." : "Unknown or used link.")
            .getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(address != null ? 200 : 404, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops the web server. */
  @Override
  public void close() {
    http.stop(0);
  }
}
