package io.meridian.app;

import picocli.CommandLine.Command;

import java.io.PrintStream;

/** {@code meridian feed keygen|publish|replay}: price feeds (docs/auth.md, "Price feeds"; docs/pricing.md). */
@Command(name = "feed", description = "Price feeds: make a feed key, sign and post reports to a node, or replay a CSV of"
        + " reports through the index aggregator.",
        subcommands = {FeedPublishCli.Keygen.class, FeedPublishCli.class, FeedReplayCli.class})
final class FeedCli extends Cli.Group {
    static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(Cli.with(args, "feed"), out, err);
    }
}
