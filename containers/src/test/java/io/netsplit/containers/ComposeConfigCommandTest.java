package io.netsplit.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Compose's own validation of docker-compose.yml ({@code config -q}, which needs no Docker engine),
 * with whichever client is installed: {@code docker-compose} (Debian's docker-compose package) or the
 * {@code docker compose} plugin. Skipped with a reason where neither is installed.
 */
class ComposeConfigCommandTest {

    @Test
    void shouldPassComposesOwnConfigCheck() throws Exception {
        Optional<List<String>> client = composeClient();
        assumeTrue(client.isPresent(), "skipped: no docker compose client (apt-get install docker-compose)");
        List<String> command = new ArrayList<>(client.get());
        command.addAll(List.of("-f", Repo.ROOT.resolve("docker-compose.yml").toString(), "config", "-q"));
        Result r = run(command);
        assertThat(r.exit).as(String.join(" ", command) + " said:\n" + r.output).isZero();
    }

    private static Optional<List<String>> composeClient() throws Exception {
        if (onPath("docker") && run(List.of("docker", "compose", "version")).exit == 0) {
            return Optional.of(List.of("docker", "compose"));
        }
        if (onPath("docker-compose")) {
            return Optional.of(List.of("docker-compose"));
        }
        return Optional.empty();
    }

    private static boolean onPath(String binary) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(Repo.ROOT.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
