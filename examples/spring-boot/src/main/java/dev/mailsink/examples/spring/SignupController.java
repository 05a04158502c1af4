package dev.mailsink.examples.spring;

import jakarta.mail.MessagingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code POST /signup?email=...} and the confirmation link {@code GET /confirm?token=...}. */
@RestController
class SignupController {
  private final SignupService signups;

  SignupController(SignupService signups) {
    this.signups = signups;
  }

  @PostMapping("/signup")
  ResponseEntity<String> signup(@RequestParam String email) throws MessagingException {
    signups.signup(email, ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
    return ResponseEntity.status(HttpStatus.ACCEPTED).body("Check your mail.");
  }

  @GetMapping("/confirm")
  ResponseEntity<String> confirm(@RequestParam String token) {
    return signups.confirm(token)
        ? ResponseEntity.ok("Thanks, your address is confirmed.")
        : ResponseEntity.status(HttpStatus.NOT_FOUND).body("Unknown or used link.");
  }
}
