package dev.mailsink.examples.spring4;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small Spring Boot 4 application that mails order confirmations. */
@SpringBootApplication
public class OrderApplication {

  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(OrderApplication.class, args);
  }
}
