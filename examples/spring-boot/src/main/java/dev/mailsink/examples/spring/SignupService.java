package dev.mailsink.examples.spring;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Service;

/** Registers addresses and confirms them through a link sent with {@link JavaMailSender}. */
@Service
public class SignupService {
  private final JavaMailSender mailSender;
  private final Map<String, String> addressByToken = new ConcurrentHashMap<>();
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

  /** Creates the service; Spring Boot configures the sender from {@code spring.mail.*}. */
  public SignupService(JavaMailSender mailSender) {
    this.mailSender = mailSender;
  }

  /**
   * Registers {@code address} and mails it a confirmation link.
   *
   * @param baseUrl where the application is reachable, e.g. {@code https://app.example}
   */
  public void signup(String address, String baseUrl) throws MessagingException {
    String token = UUID.randomUUID().toString();
    addressByToken.put(token, address);
    String link = baseUrl + "/confirm?token=" + token;

    MimeMessage message = mailSender.createMimeMessage();
    MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
    helper.setFrom("no-reply@app.example");
    helper.setTo(address);
    helper.setSubject("Confirm your address");
    helper.setText(
        "Welcome! Please confirm your address:\n" + link + "\n",
        "<p>Welcome! Please <a href=\"" + link + "\">confirm your address</a>.</p>");
    mailSender.send(message);
  }

  /**
   * Confirms the address the token was sent to.
   *
   * @return whether the token was known (a token works once)
   */
  public boolean confirm(String token) {
    String address = addressByToken.remove(token);
    if (address == null) {
      return false;
    }
    confirmed.add(address);
    return true;
  }

  /** Whether {@code address} was confirmed. */
  public boolean isConfirmed(String address) {
    return confirmed.contains(address);
  }
}
