package io.meridian.app;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The one argument parser of every {@code meridian} command (picocli), and its conventions. Every command and subcommand
 * takes {@code --help} (its usage, exit 0); an unknown option, a missing value, a value of the wrong type or a missing
 * required option prints one line naming the command and the mistake, then the command's synopsis and how to see its
 * help, all on the error stream, and exits {@value #USAGE}. A command that fails after its arguments were accepted exits
 * {@value #FAILURE}, and {@value #OK} when it succeeded.
 */
public final class Cli {
    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: the command ran and failed (its reason on the error stream). */
    public static final int FAILURE = 1;
    /** Exit code: a usage mistake (unknown option or command, missing or bad value); nothing was started. */
    public static final int USAGE = 2;

    private Cli() {
    }

    /**
     * The base of the app's commands: the streams they print to (set by {@link #commandLine}) and a way to refuse an
     * option value that the parser cannot check (a range, a combination) as a usage mistake.
     */
    public abstract static class Command implements Callable<Integer> {
        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;
        @CommandLine.Spec
        protected CommandSpec spec;
        protected PrintStream out = System.out;
        protected PrintStream err = System.err;

        /** A usage mistake to throw: the parser's handler prints it with the synopsis and exits {@value #USAGE}. */
        protected ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }

        void streams(PrintStream newOut, PrintStream newErr) {
            this.out = newOut;
            this.err = newErr;
        }
    }

    /** A command whose job is to hold subcommands: run without one, it is a usage mistake. */
    public abstract static class Group extends Command {
        @Override
        public Integer call() {
            throw usage("a subcommand is required: " + String.join(", ", spec.subcommands().keySet().stream()
                    .filter(name -> !name.equals("help")).toList()));
        }
    }

    /**
     * The command line of {@code command} and everything under it, printing to {@code out} and {@code err} with the
     * conventions above. Commands of this module ({@link Command}) get the streams; others take them when they are made.
     */
    public static CommandLine commandLine(Object command, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(command);
        return configure(line, out, err);
    }

    /** As {@link #commandLine}, for a command line already built (with its subcommands added). */
    public static CommandLine configure(CommandLine line, PrintStream out, PrintStream err) {
        streams(line, out, err);
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.setParameterExceptionHandler((e, args) -> usageMistake(e, err));
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // A failure the command did not expect (a bug, an I/O error): its name and the exception, then the trace.
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + e);
            e.printStackTrace(err);
            return FAILURE;
        });
        line.setExitCodeExceptionMapper(e -> FAILURE);
        return line;
    }

    /** The command line {@code command... args}: a subcommand's arguments with the words that name it first. */
    public static String[] with(String[] args, String... command) {
        String[] all = new String[command.length + args.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(args, 0, all, command.length, args.length);
        return all;
    }

    /** Parses {@code args} for {@code command} and runs it; returns its exit code. */
    public static int execute(Object command, String[] args, PrintStream out, PrintStream err) {
        return commandLine(command, out, err).execute(args);
    }

    private static void streams(CommandLine line, PrintStream out, PrintStream err) {
        if (line.getCommand() instanceof Command c) {
            c.streams(out, err);
        }
        // Options in the help as each command declares them: the common ones first.
        line.getCommandSpec().usageMessage().sortOptions(false).sortSynopsis(false);
        for (CommandLine sub : line.getSubcommands().values()) {
            streams(sub, out, err);
        }
    }

    /** Prints a usage mistake: the command and what is wrong, the synopsis, the way to its help. */
    static int usageMistake(ParameterException e, PrintStream err) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (u.isUnknownOption()) {
                message = "unknown option '" + first + "'";
            } else if (!cmd.getSubcommands().isEmpty()) {
                message = "unknown command '" + first + "' (commands: "
                        + String.join(", ", cmd.getSubcommands().keySet()) + ")";
            } else {
                message = "unexpected argument '" + first + "'";
            }
        } else if (message != null && !message.isEmpty()) {
            message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        if (!(e instanceof UnmatchedArgumentException)) {
            // An unknown option is the likelier mistake than the required one it hid (--file for --csv): say it first.
            for (String unmatched : cmd.getUnmatchedArguments()) {
                if (unmatched.startsWith("-")) {
                    err.println(name + ": unknown option '" + unmatched + "'");
                }
            }
        }
        err.println(name + ": " + message);
        if (e instanceof UnmatchedArgumentException u) {
            PrintWriter writer = new PrintWriter(err, true, StandardCharsets.UTF_8);
            UnmatchedArgumentException.printSuggestions(u, writer);
            writer.flush();
        }
        err.print("usage: " + cmd.getHelp().synopsis(0));
        err.println("see '" + name + " --help'");
        err.flush();
        return USAGE;
    }
}
