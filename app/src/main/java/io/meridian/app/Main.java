package io.meridian.app;

import io.meridian.app.demo.Demo;
import io.meridian.app.load.LoadGenerator;
import io.meridian.benchmarks.BenchCli;
import io.meridian.cluster.ClusterNodeMain;
import io.meridian.node.NodeConfig;
import io.meridian.node.NodeMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;

/**
 * The {@code meridian} command: every subcommand parsed by one parser ({@link Cli}, picocli), each with {@code --help}.
 * {@code meridian --help} lists them; {@code meridian help COMMAND} and {@code meridian COMMAND --help} show one.
 * Exit codes: {@value Cli#OK} success, {@value Cli#FAILURE} failure, {@value Cli#USAGE} usage (unknown command or
 * option, a missing value or one of the wrong type; nothing was started).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a subcommand and returns its exit code; never calls {@link System#exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return commandLine(out, err).execute(args);
    }

    /** The whole command line: {@code meridian} and every subcommand, printing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(new Root());
        line.addSubcommand(new Demo.DemoCommand());
        line.addSubcommand(new NodeMain(out, err));
        line.addSubcommand(new LoadGenerator.LoadCommand());
        line.addSubcommand(BenchCli.commandLine(out));
        line.addSubcommand(new StressCli());
        line.addSubcommand(new JournalCli.ReplayCommand());
        line.addSubcommand(new JournalCli.VerifyCommand());
        line.addSubcommand(new ClusterNodeMain(out, err, file -> NodeConfig.read(file).engineConfig()));
        line.addSubcommand(new ClusterExportCli());
        line.addSubcommand(new OptionCli());
        line.addSubcommand(new GreeksCli());
        line.addSubcommand(new GovernanceCli());
        line.addSubcommand(new FeedCli());
        line.addSubcommand(new SettlementCli());
        line.addSubcommand(new VerifyProofCli());
        line.addSubcommand(new CommandLine.HelpCommand());
        helpInGroups(line);
        return Cli.configure(line, out, err);
    }

    /** {@code meridian option help} and the like: every command with subcommands takes {@code help} as one. */
    private static void helpInGroups(CommandLine line) {
        for (CommandLine sub : line.getSubcommands().values()) {
            if (!sub.getSubcommands().isEmpty() && !sub.getSubcommands().containsKey("help")) {
                helpInGroups(sub);
                sub.addSubcommand(new CommandLine.HelpCommand());
            }
        }
    }

    /** {@code meridian} alone: a command is required. */
    @Command(name = "meridian", description = "A derivatives exchange: the node, its demo, tools and benchmarks.",
            footerHeading = "%n", footer = {"Run 'meridian COMMAND --help' (or 'meridian help COMMAND') for a command's"
            + " options; docs/operations.md, \"The command line\", has every command.",
            "Exit codes: 0 success, 1 failure, 2 usage (unknown command or option, a missing value or one of the wrong"
            + " type; nothing was started)."})
    static final class Root extends Cli.Group {
    }
}
