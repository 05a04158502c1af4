package dev.mailsink.examples.spring4;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Service;

/** Mails an order confirmation through Boot's {@link JavaMailSender}. */
@Service
public class OrderMailer {
  private final JavaMailSender mailSender;

  /** Creates the mailer; Spring Boot configures the sender from {@code spring.mail.*}. */
  public OrderMailer(JavaMailSender mailSender) {
    this.mailSender = mailSender;
  }

  /** Mails {@code customer} that order {@code orderId} was received. */
  public void confirm(String customer, String orderId) throws MessagingException {
    MimeMessage message = mailSender.createMimeMessage();
    MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
    helper.setFrom("orders@shop.example");
    helper.setTo(customer);
    helper.setSubject("Your order " + orderId);
    helper.setText(
        "Thanks! We received order " + orderId + ".",
        "<p>Thanks! We received order <b>" + orderId + "</b>.</p>");
    mailSender.send(message);
  }
}
