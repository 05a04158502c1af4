package dev.mailsink.server;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads each flag's default from its environment variable: {@code --max-message-size} from {@code
 * MAILSINK_MAX_MESSAGE_SIZE}. An unset or empty variable leaves the built-in default. Remembers
 * which variables it used so that an error about a bad value can name the variable, not a flag the
 * user never typed.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  private final Map<String, String> env;
  private final Map<OptionSpec, String> used = new HashMap<>();

  EnvironmentDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The variable that sets {@code option}, or {@code null} for flags that are actions. */
  static String variableOf(OptionSpec option) {
    String flag = option.longestName();
    if (!flag.startsWith("--") || ServerCommand.FLAGS_WITHOUT_ENV.contains(flag)) {
      return null;
    }
    return "MAILSINK_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    String variable = variableOf(option);
    if (variable == null) {
      return null;
    }
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return null;
    }
    used.put(option, variable + "=" + value);
    return value;
  }

  /**
   * Where the default of {@code option} came from, as {@code NAME=value}, or {@code null} when it
   * did not come from the environment.
   */
  String sourceOf(OptionSpec option) {
    return used.get(option);
  }
}
