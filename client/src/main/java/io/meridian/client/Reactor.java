package io.meridian.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * One thread and one selector driving any number of {@link WebSocketConnection}s: it reads, delivers messages to
 * their listeners and writes what a socket could not take at once. One reactor for many connections keeps a load
 * generator to one thread on a machine whose cores the node needs too. Tasks from other threads ({@link #execute})
 * run on the reactor thread between selections. Daemon thread; {@link #close} stops it and closes what it drives.
 */
public final class Reactor implements AutoCloseable {
    private final Selector selector;
    private final Thread thread;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private volatile boolean running = true;

    /** Starts a reactor thread named {@code name}. */
    public Reactor(String name) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean inReactorThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the reactor thread (soon, in order). */
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
        }
        if (!inReactorThread()) {
            selector.wakeup();
        }
    }

    void register(WebSocketConnection connection) {
        execute(() -> {
            try {
                SelectionKey key = connection.channelForRegistration().register(selector, SelectionKey.OP_READ,
                        connection);
                connection.registered(key);
            } catch (ClosedChannelException e) {
                connection.fail(e);
            }
        });
    }

    /** Changes what {@code key} waits for (any thread; effective at the next selection). */
    void interest(SelectionKey key, int ops) {
        if (key.isValid()) {
            key.interestOps(ops);
            if (!inReactorThread()) {
                selector.wakeup();
            }
        }
    }

    private void run() {
        while (running) {
            try {
                selector.select();
            } catch (IOException e) {
                break;
            }
            runTasks();
            Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
            while (ready.hasNext()) {
                SelectionKey key = ready.next();
                ready.remove();
                WebSocketConnection connection = (WebSocketConnection) key.attachment();
                try {
                    if (key.isValid() && key.isReadable()) {
                        connection.readable();
                    }
                    if (key.isValid() && key.isWritable()) {
                        connection.writable();
                    }
                } catch (java.nio.channels.CancelledKeyException e) {
                    connection.fail(e);
                }
            }
        }
        for (SelectionKey key : selector.keys()) {
            ((WebSocketConnection) key.attachment()).fail(null);
        }
        try {
            selector.close();
        } catch (IOException e) {
            // Stopping anyway.
        }
    }

    private void runTasks() {
        while (true) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.poll();
            }
            if (task == null) {
                return;
            }
            task.run();
        }
    }

    /** Stops the thread after its current work; closes every connection it drives. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
    }
}
