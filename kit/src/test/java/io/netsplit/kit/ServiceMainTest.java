package io.netsplit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceMainTest {

    static final ConfigDef DEF = new ConfigDef()
            .define("demo.greeting", ConfigDef.Type.STRING, "hello", ConfigDef.Importance.LOW, "What it says.");

    static {
        CommonKeys.define(DEF).site().http(8080);
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicReference<AbstractConfig> ran = new AtomicReference<>();

    @TempDir
    Path tmp;

    private int run(ServiceMain.Body<AbstractConfig> body, String... args) {
        return ServiceMain.of("demo", "A demo service.", DEF, props -> new AbstractConfig(DEF, props, false))
                .run(body).execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    private int run(String... args) {
        return run((config, context) -> {
            ran.set(config);
            return 0;
        }, args);
    }

    @Test
    void shouldLetSetWinOverTheConfigFile() throws Exception {
        Path file = tmp.resolve("demo.properties");
        Files.writeString(file, "site=us-east\ndemo.greeting=hi\nhttp.port=1\n");

        assertThat(run("--config", file.toString(), "--set", "http.port=2", "-s", "demo.greeting=ho")).isZero();

        assertThat(ran.get().getString("site")).isEqualTo("us-east");
        assertThat(ran.get().getInt("http.port")).isEqualTo(2);
        assertThat(ran.get().getString("demo.greeting")).isEqualTo("ho");
    }

    @Test
    void shouldListEveryKeyWithItsDefaultOrRequired() {
        assertThat(run("--list-config")).isZero();

        assertThat(out.toString()).contains("site (default: required)\n    Alias of the site")
                .contains("demo.greeting (default: hello)\n    What it says.\n")
                .contains("http.port (default: 8080)\n");
        assertThat(ran.get()).as("the service did not start").isNull();
    }

    @Test
    void shouldAnswerBadConfigurationWithOneLineAndExitTwo() {
        assertThat(run("--set", "site=US East")).isEqualTo(2);

        assertThat(err.toString()).startsWith("demo: Invalid value US East for configuration site").endsWith("\n")
                .hasLineCount(1);
        assertThat(ran.get()).isNull();
    }

    @Test
    void shouldAnswerBadArgumentsWithOneLineAndExitTwo() {
        assertThat(run("--sett", "site=us-east")).isEqualTo(2);
        assertThat(err.toString()).startsWith("demo: Unknown options: '--sett', 'site=us-east'").hasLineCount(1);

        StringWriter noEquals = new StringWriter();
        int code = ServiceMain.of("demo", "d", DEF, props -> props).run((c, ctx) -> 0)
                .execute(new PrintWriter(out), new PrintWriter(noEquals), "--set", "site");
        assertThat(code).isEqualTo(2);
        assertThat(noEquals.toString()).startsWith("demo: ").contains("KEY=VALUE").hasLineCount(1);
    }

    @Test
    void shouldAnswerAMissingConfigFileWithExitTwo() {
        assertThat(run("--config", tmp.resolve("nope.properties").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("demo: no such file: ").contains("nope.properties").hasLineCount(1);
    }

    @Test
    void shouldExitOneWhenTheServiceCannotStart() {
        int code = run((config, context) -> {
            throw new IllegalStateException("broker unreachable\nsecond line");
        }, "--set", "site=us-east");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("demo: broker unreachable second line\n");
    }

    @Test
    void shouldExitTwoOnAConfigExceptionWhileStarting() {
        int code = run((config, context) -> {
            throw new ConfigException("writer.x", 1, "too small");
        }, "--set", "site=us-east");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("demo: Invalid value 1 for configuration writer.x");
    }

    @Test
    void shouldReturnTheServicesOwnExitCode() {
        assertThat(run((config, context) -> 3, "--set", "site=us-east")).isEqualTo(3);
    }

    @Test
    void shouldExitOneWhenTheServiceDies() throws Exception {
        int code = run((config, context) -> context.runUntilStopped(() -> { }, () -> false, "the consumer stopped; exiting"),
                "--set", "site=us-east");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("demo: the consumer stopped; exiting\n");
    }

    @Test
    void shouldPrintHelpAndVersion() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: demo").contains("--config=FILE").contains("--set=KEY=VALUE")
                .contains("--list-config").contains("A demo service.");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("demo ");
    }

    @Test
    void shouldParseSettingsForTools() {
        Map<String, String> settings = ServiceMain.of("demo", "d", DEF, props -> props)
                .settings("--set", "a=1", "--set", "a=2", "--set", "b=x=y");
        assertThat(settings).containsExactly(Map.entry("a", "2"), Map.entry("b", "x=y"));
    }
}
