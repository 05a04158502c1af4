package dev.mailsink.internal.fault;

import dev.mailsink.fault.FaultAction;
import dev.mailsink.fault.FaultEvent;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRuleStatus;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.syntax.Glob;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** The installed fault rules of one server, consulted by the SMTP session at each stage. */
public final class FaultEngine implements FaultRules {
  private static final System.Logger LOG = System.getLogger(FaultEngine.class.getName());
  private static final int MAX_EVENTS = 10_000;

  private final List<Installed> rules = new CopyOnWriteArrayList<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final Deque<FaultEvent> events = new ArrayDeque<>();
  private final List<FaultRule> initial;

  /** Creates the engine with the rules installed at start. */
  public FaultEngine(List<FaultRule> initial) {
    this.initial = List.copyOf(initial);
    initial.forEach(this::add);
  }

  /** What a firing rule asks the session to do. */
  public record Firing(long ruleId, FaultAction action) {}

  @Override
  public long add(FaultRule rule) {
    Objects.requireNonNull(rule, "rule");
    Installed installed = new Installed(nextId.getAndIncrement(), rule);
    rules.add(installed);
    return installed.id;
  }

  @Override
  public boolean remove(long id) {
    return rules.removeIf(r -> r.id == id);
  }

  @Override
  public void clear() {
    rules.clear();
    synchronized (events) {
      events.clear();
    }
  }

  @Override
  public synchronized void reset() {
    clear();
    initial.forEach(this::add);
  }

  @Override
  public List<FaultRuleStatus> list() {
    List<FaultRuleStatus> result = new ArrayList<>();
    for (Installed r : rules) {
      result.add(r.status());
    }
    return result;
  }

  @Override
  public List<FaultEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Whether any rule is installed for this stage (saves building a context when none is). */
  public boolean hasRulesFor(SmtpStage stage) {
    for (Installed r : rules) {
      if (r.rule.stage() == stage) {
        return true;
      }
    }
    return false;
  }

  /**
   * Consults the rules for an event; the first that fires wins.
   *
   * @return what to do, or null to go on normally
   */
  public Firing evaluate(SmtpStage stage, FaultContext context) {
    for (Installed r : rules) {
      if (r.rule.stage() != stage || !r.matches(context)) {
        continue;
      }
      FaultAction action = r.fire(stage, context);
      if (action != null) {
        return new Firing(r.id, action);
      }
    }
    return null;
  }

  /** Records what the client saw when a rule fired, and logs it naming the rule. */
  public void record(Firing firing, SmtpStage stage, FaultContext context, String outcome) {
    FaultEvent event =
        new FaultEvent(
            firing.ruleId(),
            stage,
            context.sessionId(),
            context.clientAddress(),
            Instant.now(),
            outcome);
    synchronized (events) {
      if (events.size() == MAX_EVENTS) {
        events.removeFirst();
      }
      events.addLast(event);
    }
    LOG.log(
        System.Logger.Level.INFO,
        "fault rule #{0} fired at {1} in session {2}: {3}",
        firing.ruleId(),
        stage,
        context.sessionId(),
        outcome);
  }

  private static final class Installed {
    final long id;
    final FaultRule rule;
    final Glob sender;
    final Glob recipient;
    final Glob authUser;
    final Glob clientAddress;
    final Glob headerValue;
    final Glob subject;
    final Random draws;
    // guarded by this
    long matches;
    long hits;
    final Map<String, Long> greylistFirstSeen = new HashMap<>();
    final Map<String, Deque<Long>> rateWindows = new HashMap<>();

    Installed(long id, FaultRule rule) {
      this.id = id;
      this.rule = rule;
      Match m = rule.match();
      this.sender = glob(m.sender());
      this.recipient = glob(m.recipient());
      this.authUser = glob(m.authUser());
      this.clientAddress = glob(m.clientAddress());
      this.headerValue = glob(m.headerValue());
      this.subject = glob(m.subject());
      this.draws = rule.seed() == null ? null : new Random(rule.seed());
    }

    private static Glob glob(String pattern) {
      return pattern == null ? null : Glob.of(pattern);
    }

    boolean matches(FaultContext c) {
      Match m = rule.match();
      if (sender != null && !sender.matches(c.sender())) {
        return false;
      }
      if (recipient != null && !recipientMatches(c)) {
        return false;
      }
      if (authUser != null && !authUser.matches(c.authUser())) {
        return false;
      }
      if (clientAddress != null && !clientAddress.matches(c.clientAddress())) {
        return false;
      }
      if (m.needsMessage()) {
        if (c.message() == null) {
          return false;
        }
        if (m.minSize() != null && c.message().size() < m.minSize()) {
          return false;
        }
        if (subject != null && !subject.matches(c.message().subject())) {
          return false;
        }
        if (m.headerName() != null) {
          List<String> values = c.message().headerValues(m.headerName());
          if (values.isEmpty()) {
            return false;
          }
          if (headerValue != null && values.stream().noneMatch(headerValue::matches)) {
            return false;
          }
        }
      }
      return true;
    }

    private boolean recipientMatches(FaultContext c) {
      if (c.recipient() != null) {
        return recipient.matches(c.recipient());
      }
      return c.recipients() != null && c.recipients().stream().anyMatch(recipient::matches);
    }

    synchronized FaultAction fire(SmtpStage stage, FaultContext c) {
      long n = ++matches;
      if (n <= rule.after()) {
        return null;
      }
      if ((n - rule.after()) % rule.every() != 0) {
        return null;
      }
      if (rule.probability() < 1 && draws.nextDouble() >= rule.probability()) {
        return null;
      }
      if (rule.times() != null && hits >= rule.times()) {
        return null;
      }
      FaultAction effective = effectiveAction(c);
      if (effective != null) {
        hits++;
      }
      return effective;
    }

    /** Greylisting and rate limits decide per event whether they act; they act by replying. */
    private FaultAction effectiveAction(FaultContext c) {
      long now = System.nanoTime();
      if (rule.action() instanceof FaultAction.Greylist g) {
        String triplet =
            c.sender()
                + "\u0000"
                + (c.recipient() != null ? c.recipient() : String.valueOf(c.recipients()))
                + "\u0000"
                + c.clientAddress();
        Long first = greylistFirstSeen.putIfAbsent(triplet, now);
        if (first != null && now - first >= g.retryAfter().toNanos()) {
          return null;
        }
        return FaultAction.Reply.of(451, "4.7.1 Greylisted, please try again later");
      }
      if (rule.action() instanceof FaultAction.RateLimit limit) {
        String key = limit.perClient() ? c.clientAddress() : "";
        Deque<Long> window = rateWindows.computeIfAbsent(key, k -> new ArrayDeque<>());
        long windowNanos = limit.per().toNanos();
        while (!window.isEmpty() && now - window.peekFirst() >= windowNanos) {
          window.removeFirst();
        }
        if (window.size() < limit.messages()) {
          window.addLast(now);
          return null;
        }
        return FaultAction.Reply.of(limit.code(), "4.7.0 Rate limit exceeded, try again later");
      }
      return rule.action();
    }

    synchronized FaultRuleStatus status() {
      boolean active = rule.times() == null || hits < rule.times();
      return new FaultRuleStatus(id, rule, matches, hits, active);
    }
  }
}
