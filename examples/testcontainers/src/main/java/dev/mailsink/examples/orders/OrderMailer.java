package dev.mailsink.examples.orders;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/**
 * Mails order confirmations through an SMTP relay that demands STARTTLS and a password, as a
 * production relay would.
 */
public final class OrderMailer {
  private final Session session;
  private final String user;
  private final String password;

  /**
   * A mailer for one relay.
   *
   * @param host the relay's host
   * @param port the relay's submission port
   * @param trust what to trust for the relay's certificate
   * @param user the SMTP user
   * @param password the SMTP password
   */
  public OrderMailer(String host, int port, SSLContext trust, String user, String password) {
    Properties props = new Properties();
    props.put("mail.smtp.host", host);
    props.put("mail.smtp.port", Integer.toString(port));
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.socketFactory", trust.getSocketFactory());
    props.put("mail.smtp.auth", "true");
    props.put("mail.smtp.connectiontimeout", "10000");
    props.put("mail.smtp.timeout", "10000");
    this.session = Session.getInstance(props);
    this.user = user;
    this.password = password;
  }

  /** Mails the customer that order {@code number} is confirmed. */
  public void confirm(String customer, String number) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("orders@shop.example"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(customer));
    message.setSubject("Order " + number + " confirmed");
    message.setText("Thank you! Track it at https://shop.example/orders/" + number);
    Transport.send(message, user, password);
  }
}
