package dev.mailsink.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class CarrierThreadsTest {

  @Test
  void leavesOneProcessorToTheSendersAndKeepsAtLeastOneCarrier() {
    assertThat(CarrierThreads.carriers(1)).isEqualTo(1);
    assertThat(CarrierThreads.carriers(2)).isEqualTo(1);
    assertThat(CarrierThreads.carriers(8)).isEqualTo(7);
  }

  @Test
  void setsTheSchedulerParallelismWhenNoneIsGiven() {
    Properties properties = new Properties();

    CarrierThreads.configure(properties, 4);

    assertThat(properties.getProperty("jdk.virtualThreadScheduler.parallelism")).isEqualTo("3");
  }

  @Test
  void aParallelismGivenOnTheCommandLineWins() {
    Properties properties = new Properties();
    properties.setProperty("jdk.virtualThreadScheduler.parallelism", "6");

    CarrierThreads.configure(properties, 4);

    assertThat(properties.getProperty("jdk.virtualThreadScheduler.parallelism")).isEqualTo("6");
  }
}
