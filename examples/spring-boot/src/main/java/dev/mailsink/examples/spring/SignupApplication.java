package dev.mailsink.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small Spring Boot application with a signup that is confirmed by a link sent by mail. */
@SpringBootApplication
public class SignupApplication {

  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(SignupApplication.class, args);
  }
}
