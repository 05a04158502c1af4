package dev.mailsink.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;

/** The smallest Boot application that sends mail: Boot's mail starter and one service. */
@SpringBootApplication
public class MailTestApplication {

  /** Sends a greeting through Boot's {@link JavaMailSender}. */
  @Service
  public static class Greeter {
    private final JavaMailSender mailSender;

    Greeter(JavaMailSender mailSender) {
      this.mailSender = mailSender;
    }

    /** Mails "Hello" to {@code address}. */
    public void greet(String address) {
      SimpleMailMessage message = new SimpleMailMessage();
      message.setFrom("app@example.test");
      message.setTo(address);
      message.setSubject("Hello");
      message.setText("Hello " + address);
      mailSender.send(message);
    }
  }
}
