package dev.mailsink.fault;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A deliberate misbehaviour: at a {@link SmtpStage}, for events that {@link Match}, do a {@link
 * FaultAction}, as often as the count control says. Rules are consulted in the order they were
 * added and the first that fires wins.
 *
 * <pre>{@code
 * sink.faults().add(FaultRule.on(SmtpStage.RCPT).when(Match.recipient("bob@example.com"))
 *     .reply(550, "5.1.1 Mailbox unavailable").times(1));
 * }</pre>
 *
 * <p>Count control, applied to the events that match, in this order: the first {@code after}
 * matches pass; of the rest, only every {@code every}-th fires; of those, each fires with {@code
 * probability}, drawn from a generator seeded with {@code seed} so that runs repeat; and at most
 * {@code times} fire in all ({@code null}: no limit). A rule whose {@code times} are used up stays
 * listed, inactive.
 *
 * @param stage where the rule is consulted
 * @param match which events it applies to
 * @param action what it does when it fires
 * @param times how many times it fires at most; {@code null} for always
 * @param every fire on every n-th matching event only (1 = each)
 * @param after let this many matching events pass before firing
 * @param probability the chance to fire, 0 &lt; p &le; 1; below 1 a {@code seed} is required
 * @param seed the seed of the draws, for reproducible runs; {@code null} when {@code probability}
 *     is 1
 */
public record FaultRule(
    SmtpStage stage,
    Match match,
    FaultAction action,
    Integer times,
    int every,
    int after,
    double probability,
    Long seed) {

  private static final Set<SmtpStage> MESSAGE_STAGES =
      EnumSet.of(SmtpStage.MAIL, SmtpStage.RCPT, SmtpStage.DATA, SmtpStage.END_OF_DATA);

  /** Validates the rule, saying what is wrong and what is allowed. */
  public FaultRule {
    Objects.requireNonNull(stage, "stage");
    match = match == null ? Match.any() : match;
    Objects.requireNonNull(action, "action");
    if (times != null && times < 1) {
      throw new IllegalArgumentException("times must be >= 1 (or absent for always), was " + times);
    }
    if (every < 1) {
      throw new IllegalArgumentException("every must be >= 1, was " + every);
    }
    if (after < 0) {
      throw new IllegalArgumentException("after must be >= 0, was " + after);
    }
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be > 0 and <= 1, was " + probability);
    }
    if (probability < 1 && seed == null) {
      throw new IllegalArgumentException(
          "a probability below 1 needs a seed, so that runs are reproducible");
    }
    if (action instanceof FaultAction.TlsFailure && stage != SmtpStage.STARTTLS) {
      throw new IllegalArgumentException("tlsFailure only applies at STARTTLS, not " + stage);
    }
    if (action instanceof FaultAction.Greylist && !MESSAGE_STAGES.contains(stage)) {
      throw new IllegalArgumentException(
          "greylist applies at MAIL, RCPT, DATA or END_OF_DATA, not " + stage);
    }
    if (match.needsMessage() && stage != SmtpStage.END_OF_DATA) {
      throw new IllegalArgumentException(
          "header, subject and size conditions can only be checked at END_OF_DATA, not " + stage);
    }
    if (match.recipient() != null
        && stage != SmtpStage.RCPT
        && stage != SmtpStage.DATA
        && stage != SmtpStage.END_OF_DATA) {
      throw new IllegalArgumentException(
          "a recipient condition applies at RCPT, DATA or END_OF_DATA, not " + stage);
    }
    if (match.sender() != null && !MESSAGE_STAGES.contains(stage)) {
      throw new IllegalArgumentException(
          "a sender condition applies at MAIL, RCPT, DATA or END_OF_DATA, not " + stage);
    }
  }

  /** Starts a rule consulted at {@code stage}. */
  public static Builder on(SmtpStage stage) {
    return new Builder(Objects.requireNonNull(stage, "stage"));
  }

  /** Returns this rule firing at most {@code n} times (e.g. fail the first n attempts). */
  public FaultRule times(int n) {
    return new FaultRule(stage, match, action, n, every, after, probability, seed);
  }

  /** Returns this rule firing without limit. */
  public FaultRule always() {
    return new FaultRule(stage, match, action, null, every, after, probability, seed);
  }

  /** Returns this rule firing on every {@code n}-th matching event only. */
  public FaultRule every(int n) {
    return new FaultRule(stage, match, action, times, n, after, probability, seed);
  }

  /** Returns this rule letting the first {@code n} matching events pass (a quota). */
  public FaultRule after(int n) {
    return new FaultRule(stage, match, action, times, every, n, probability, seed);
  }

  /**
   * Returns this rule firing with probability {@code p}, drawn from a generator seeded with {@code
   * seed}.
   */
  public FaultRule probability(double p, long seed) {
    return new FaultRule(stage, match, action, times, every, after, p, seed);
  }

  /** Builds a {@link FaultRule}: say when it applies, then what it does. */
  public static final class Builder {
    private final SmtpStage stage;
    private Match match = Match.any();

    private Builder(SmtpStage stage) {
      this.stage = stage;
    }

    /** Restricts the rule to events that match. */
    public Builder when(Match match) {
      this.match = Objects.requireNonNull(match, "match");
      return this;
    }

    /** Fires with any action. */
    public FaultRule action(FaultAction action) {
      return new FaultRule(stage, match, action, null, 1, 0, 1.0, null);
    }

    /** Answers {@code code text}, e.g. {@code reply(550, "5.1.1 Mailbox unavailable")}. */
    public FaultRule reply(int code, String text) {
      return action(FaultAction.Reply.of(code, text));
    }

    /** Waits {@code delay}, then answers {@code code text}. */
    public FaultRule delayThenReply(Duration delay, int code, String text) {
      return action(new FaultAction.Reply(code, text, delay));
    }

    /** Waits, then goes on normally. */
    public FaultRule delay(Duration delay) {
      return action(new FaultAction.Delay(delay));
    }

    /** Cuts the connection abruptly (at DATA: during the transfer). */
    public FaultRule disconnect() {
      return action(new FaultAction.Disconnect());
    }

    /** Never answers; the session hangs until the client gives up or the server closes. */
    public FaultRule stall() {
      return action(new FaultAction.Stall());
    }

    /** Throttles the rest of the session to {@code bytesPerSecond} each way. */
    public FaultRule slowLink(long bytesPerSecond) {
      return action(new FaultAction.SlowLink(bytesPerSecond));
    }

    /** Greylists: temp-fails first attempts, accepts retries after {@code retryAfter}. */
    public FaultRule greylist(Duration retryAfter) {
      return action(new FaultAction.Greylist(retryAfter));
    }

    /**
     * Rate-limits to {@code messages} per {@code per}, per client address, answering {@code code}.
     */
    public FaultRule rateLimit(int messages, Duration per, int code) {
      return action(new FaultAction.RateLimit(messages, per, code, true));
    }

    /** Breaks the TLS handshake after answering STARTTLS with 220. */
    public FaultRule tlsFailure() {
      return action(new FaultAction.TlsFailure());
    }
  }
}
