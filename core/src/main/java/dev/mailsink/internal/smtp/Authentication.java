package dev.mailsink.internal.smtp;

import dev.mailsink.AuthConfig;
import dev.mailsink.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.LoginAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.auth.MultipleAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.PlainAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.UsernamePasswordValidator;

/** SMTP AUTH for Mailsink: SubEthaSMTP's PLAIN and LOGIN, and our CRAM-MD5 (it has none). */
final class Authentication {
  static final List<String> PLAINTEXT_MECHANISMS = List.of("PLAIN", "LOGIN");

  private Authentication() {}

  static AuthenticationHandlerFactory handlers(AuthConfig config, String hostName) {
    Map<String, String> passwords =
        config.users().stream()
            .collect(Collectors.toMap(Credentials::user, Credentials::password, (a, b) -> b));
    UsernamePasswordValidator validator =
        (user, password, context) -> {
          if (passwords.isEmpty()) {
            return;
          }
          String expected = passwords.get(user);
          if (expected == null || !constantTimeEquals(expected, password)) {
            throw new LoginFailedException();
          }
        };
    return new MultipleAuthenticationHandlerFactory(
        List.of(
            new PlainAuthenticationHandlerFactory(validator),
            new LoginAuthenticationHandlerFactory(validator),
            new CramMd5(passwords.isEmpty() ? null : passwords::get, hostName)));
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** CRAM-MD5 (RFC 2195): a challenge, answered with the user and HMAC-MD5(password, challenge). */
  static final class CramMd5 implements AuthenticationHandlerFactory {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Function<String, String> passwordOf;
    private final String hostName;

    /** With a null {@code passwordOf}, any well-formed answer is accepted. */
    CramMd5(Function<String, String> passwordOf, String hostName) {
      this.passwordOf = passwordOf;
      this.hostName = hostName;
    }

    @Override
    public List<String> getAuthenticationMechanisms() {
      return List.of("CRAM-MD5");
    }

    @Override
    public AuthenticationHandler create() {
      return new AuthenticationHandler() {
        private String challenge;
        private String user;

        @Override
        public Optional<String> auth(String clientInput, MessageContext context)
            throws RejectException {
          if (challenge == null) {
            challenge =
                "<"
                    + Long.toUnsignedString(RANDOM.nextLong())
                    + "."
                    + System.currentTimeMillis()
                    + "@"
                    + hostName
                    + ">";
            return Optional.of(
                "334 "
                    + Base64.getEncoder()
                        .encodeToString(challenge.getBytes(StandardCharsets.US_ASCII)));
          }
          String answer;
          try {
            answer =
                new String(Base64.getDecoder().decode(clientInput.trim()), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException e) {
            throw new RejectException(501, "5.5.2 Invalid CRAM-MD5 response, not Base64");
          }
          int space = answer.lastIndexOf(' ');
          if (space <= 0 || space == answer.length() - 1) {
            throw new RejectException(501, "5.5.2 Invalid CRAM-MD5 response, want 'user digest'");
          }
          String name = answer.substring(0, space);
          String digest = answer.substring(space + 1);
          if (passwordOf != null) {
            String password = passwordOf.apply(name);
            if (password == null
                || !MessageDigest.isEqual(
                    hmacMd5Hex(password, challenge),
                    digest
                        .toLowerCase(java.util.Locale.ROOT)
                        .getBytes(StandardCharsets.US_ASCII))) {
              throw new RejectException(535, "5.7.8 Authentication credentials invalid");
            }
          }
          user = name;
          return Optional.empty();
        }

        @Override
        public Object getIdentity() {
          return user;
        }
      };
    }

    static byte[] hmacMd5Hex(String password, String challenge) {
      try {
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        byte[] digest = mac.doFinal(challenge.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacMD5 is not available", e);
      }
    }
  }
}
