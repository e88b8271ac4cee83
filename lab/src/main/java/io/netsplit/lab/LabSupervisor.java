package io.netsplit.lab;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The background process behind {@code netsplit lab up}: starts an {@link EmbeddedLab} from
 * {@code key=value} arguments (the {@link LabConfig} keys), keeps it running, and stops it on
 * SIGTERM ({@code netsplit lab down}). Its output goes to {@code <dir>/logs/supervisor.log}.
 */
public final class LabSupervisor {

    private LabSupervisor() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> props = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                System.err.println("lab supervisor: argument '" + arg + "' is not key=value");
                System.exit(2);
            }
            props.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        EmbeddedLab lab;
        try {
            lab = EmbeddedLab.start(LabConfig.parse(props), new PrintStream(System.out, true));
        } catch (RuntimeException e) {
            System.out.println("lab failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lab.close();
            stopped.countDown();
        }, "lab-shutdown"));
        stopped.await();
    }
}
