package dev.mailsink.server;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The standalone Mailsink server: {@code java -jar mailsink-server.jar [flags]}. Captures mail on
 * SMTP (port 1025 by default) and serves the web UI and JSON API (port 8025), bound to 127.0.0.1
 * unless {@code --bind} says otherwise. Run with {@code --help} for every flag; each flag can also
 * be set as a {@code MAILSINK_*} environment variable.
 *
 * <p>Exit codes: 0 after a normal stop, 1 when the server cannot start (e.g. a port in use), 2 for
 * a wrong flag or value, 143 when stopped by SIGTERM (after a clean shutdown).
 */
public final class Main {
  /** Exit code for a wrong flag or value. */
  static final int USAGE = 2;

  private Main() {}

  /**
   * Parses the flags and runs the server until the process is stopped (SIGTERM or Ctrl-C close it
   * cleanly), or runs {@code --help}, {@code --version}, {@code --healthcheck} or {@code
   * --self-test} and exits.
   *
   * @param args the command-line flags
   */
  public static void main(String[] args) {
    CarrierThreads.configure(System.getProperties(), Runtime.getRuntime().availableProcessors());
    int code =
        run(
            args,
            System.getenv(),
            new PrintStream(System.out, true, StandardCharsets.UTF_8),
            new PrintStream(System.err, true, StandardCharsets.UTF_8));
    System.exit(code);
  }

  /**
   * Runs the command with the given environment and streams; returns the exit code. Blocks while
   * the server runs.
   */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return commandLine(env, out, err).execute(args);
  }

  /** Builds the command line: flags, environment defaults, and messages for wrong input. */
  static CommandLine commandLine(Map<String, String> env, PrintStream out, PrintStream err) {
    EnvironmentDefaults defaults = new EnvironmentDefaults(env);
    CommandLine cmd = new CommandLine(new ServerCommand());
    cmd.setDefaultValueProvider(defaults);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    cmd.setExitCodeExceptionMapper(e -> 1);
    cmd.setParameterExceptionHandler((e, args) -> explain(e, args, defaults));
    return cmd;
  }

  /** Prints what was wrong and how to fix it, in one or two lines; returns exit code 2. */
  private static int explain(ParameterException e, String[] args, EnvironmentDefaults defaults) {
    PrintWriter err = e.getCommandLine().getErr();
    String message = e.getMessage();
    ArgSpec arg = e.getArgSpec();
    if (arg instanceof OptionSpec option) {
      String flag = option.longestName();
      String source = givenOnCommandLine(option, args) ? null : defaults.sourceOf(option);
      String where =
          source == null
              ? flag
              : "environment variable "
                  + (isSecret(option) ? FlagValues.mask(source) : source)
                  + " ("
                  + flag
                  + ")";
      message =
          message.replaceFirst(
              "^Invalid value for option '" + Pattern.quote(flag) + "'( \\([^)]*\\))?",
              Matcher.quoteReplacement("invalid value for " + where));
    }
    err.println("mailsink: " + message);
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        err.println("Did you mean " + String.join(" or ", suggestions) + "?");
      }
    }
    err.println("Run 'mailsink --help' for every flag and its environment variable.");
    err.flush();
    return USAGE;
  }

  private static boolean givenOnCommandLine(OptionSpec option, String[] args) {
    for (String a : args) {
      for (String name : option.names()) {
        if (a.equals(name) || a.startsWith(name + "=")) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isSecret(OptionSpec option) {
    String label = option.paramLabel();
    return label.contains("PASS");
  }
}
