package dev.mailsink;

/** Whether the SMTP port offers STARTTLS. */
public enum TlsMode {
  /** STARTTLS is neither advertised nor accepted. */
  OFF,
  /** STARTTLS is advertised; clients may send mail without it. */
  OPTIONAL,
  /**
   * STARTTLS is advertised and required: MAIL and AUTH before it are answered {@code 530 5.7.0 Must
   * issue a STARTTLS command first}.
   */
  REQUIRED
}
