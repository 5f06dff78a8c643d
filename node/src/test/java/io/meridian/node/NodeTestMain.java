package io.meridian.node;

/** Runs {@link NodeMain} with a config file, for tests that need the node as its own process. */
public final class NodeTestMain {
    private NodeTestMain() {
    }

    public static void main(String[] args) {
        System.exit(NodeMain.run(new String[] {"--config", args[0]}, System.out, System.err));
    }
}
