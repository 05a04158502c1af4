package dev.mailsink.examples.junit6;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/**
 * Sends welcome mails with Jakarta Mail, configured the classic way: by {@code mail.smtp.*}
 * properties, e.g. {@code new WelcomeMailer(System.getProperties())}.
 */
public final class WelcomeMailer {
  private final Session session;

  /** Creates a mailer whose SMTP server is given by {@code mail.smtp.host} and {@code port}. */
  public WelcomeMailer(Properties mailProperties) {
    this.session = Session.getInstance(mailProperties);
  }

  /** Sends a plain-text welcome mail to {@code address}. */
  public void sendWelcome(String address, String name) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom("welcome@app.example");
    message.setRecipients(Message.RecipientType.TO, address);
    message.setSubject("Welcome, " + name, "UTF-8");
    message.setText("Hello " + name + ", your account is ready.", "UTF-8");
    Transport.send(message);
  }
}
