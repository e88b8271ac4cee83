package io.netsplit.lab.cli;

import picocli.CommandLine;

/**
 * Turns any failure of a command into one line on the command's error writer and an exit code:
 * 2 for bad usage (picocli's parameter errors, {@link IllegalArgumentException}), 1 otherwise.
 * Stack traces only with {@code NETSPLIT_DEBUG=1}.
 */
public final class OneLineErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    public static final int FAILED = 1;
    public static final int USAGE = 2;

    /** Installs both handlers on {@code cl} and returns it. */
    public static CommandLine install(CommandLine cl) {
        OneLineErrors h = new OneLineErrors();
        cl.setExecutionExceptionHandler(h);
        cl.setParameterExceptionHandler(h);
        return cl;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        if (System.getenv("NETSPLIT_DEBUG") != null) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + message(ex));
        cl.getErr().flush();
        return ex instanceof IllegalArgumentException ? USAGE : FAILED;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + ex.getMessage() + " (see --help)");
        cl.getErr().flush();
        return USAGE;
    }

    static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            m = ex.getClass().getSimpleName();
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}
